// Generated from the API's OpenAPI schema by scripts/gen-api.mjs (npm run gen:api). Do not edit.

export interface paths {
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Login
         * @description Password login: a short-lived access token and a single-use refresh token. Failed logins are throttled.
         */
        post: operations["auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Logout
         * @description Ends every session of the caller: all its access and refresh tokens stop working.
         */
        post: operations["auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Me */
        get: operations["auth_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh
         * @description A new token pair for a refresh token, which then stops working (rotation).
         */
        post: operations["auth_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Session
         * @description Browser sign-in: sets the HttpOnly session cookie that the dashboard, `/api`, the log WebSocket and the
         *     MLflow UI accept, and returns the user. Failed logins are throttled like `/api/auth/login`.
         */
        post: operations["auth_create_session"];
        /**
         * End Session
         * @description Browser sign-out: clears the session cookie (`POST /api/auth/logout` also ends every other session).
         */
        delete: operations["auth_end_session"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Tokens */
        get: operations["auth_list_tokens"];
        put?: never;
        /**
         * Create Token
         * @description A long-lived token for scripts and trainer hosts (`Authorization: Bearer`, or MLFLOW_TRACKING_TOKEN).
         *     403 when called with a token (log in with a password) or when the scope is above the caller's role.
         */
        post: operations["auth_create_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke Token
         * @description Revoke one of your tokens (an admin: anyone's).
         */
        delete: operations["auth_revoke_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Users */
        get: operations["auth_list_users"];
        put?: never;
        /**
         * Create User
         * @description 422 also for a password that is common, equals the username or has fewer than 4 distinct characters.
         */
        post: operations["auth_create_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update User
         * @description Change role, active state or password (the user's sessions end). 409 with code ``last_admin`` when the
         *     change would leave no active admin; 422 also for a weak password (see create_user).
         */
        patch: operations["auth_update_user"];
        trace?: never;
    };
    "/api/benchmarks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Benchmarks
         * @description Every benchmark, newest first, with its progress.
         */
        get: operations["benchmarks_list_benchmarks"];
        put?: never;
        /**
         * Create Benchmark
         * @description Configs × seeds on one dataset version: every config is vetted (422 naming the config), then one job per
         *     config and seed is queued (the seed set at the model's seed kwarg), each run a child of the benchmark's MLflow
         *     parent run in ``experiment_name``.
         */
        post: operations["benchmarks_create_benchmark"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/benchmarks/{benchmark_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Benchmark
         * @description The leaderboard: per config, the mean, sample standard deviation, min and max over its succeeded runs of
         *     IC, ICIR, Rank IC, Rank ICIR and the annualised excess return with cost, information ratio and max drawdown;
         *     each run with its seed, state and metrics.
         */
        get: operations["benchmarks_get_benchmark"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/benchmarks/{benchmark_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Benchmark
         * @description Cancel every job of the benchmark that has not ended (its owner or an admin).
         */
        post: operations["benchmarks_cancel_benchmark"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/benchmarks/{benchmark_id}/leaderboard.md": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Leaderboard Markdown
         * @description The leaderboard as Markdown, in the layout of Qlib's benchmark table (mean±std over the seeds).
         */
        get: operations["benchmarks_leaderboard_markdown"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/configs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Configs */
        get: operations["configs_list_configs"];
        put?: never;
        /**
         * Create Config
         * @description Store a qrun workflow config; 422 also when it is not a mapping of YAML or names a class or module outside
         *     the allowlist (``qlib.*``, ``trainers.*``), a file path, a pickle or a Python tag.
         */
        post: operations["configs_create_config"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/configs/{config_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Config */
        get: operations["configs_get_config"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/configs/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate Config
         * @description Vet a qrun workflow config and overrides exactly as submitting a job with them would (researcher or admin,
         *     like submitting); stores and runs nothing. A refused config is a 200 with ``valid: false`` and where: the line and
         *     column of a YAML syntax error, or of the refused key or value in the text (null when it is not in the text: a
         *     missing key, a value that an override sets).
         */
        post: operations["configs_validate_config"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Datasets */
        get: operations["data_list_datasets"];
        put?: never;
        /**
         * Create Dataset
         * @description Register a Qlib folder that is already on the server, below the import folder (admin only).
         */
        post: operations["data_create_dataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Dataset */
        get: operations["data_get_dataset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive Dataset
         * @description Archive a version (admin): no new job may train on it or append to it; runs that used it keep it, its files
         *     and its place in the store. Archiving again changes nothing.
         */
        post: operations["data_archive_dataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}/bars": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Bars
         * @description Daily open, high, low, close, volume and factor of one instrument, within its listing. Without ``start`` the
         *     last 5,000 trading days to ``end``; a window of more than 5,000 bars is refused (422): narrow it. 404 for an
         *     instrument the version does not list, 410 when its files are gone.
         */
        get: operations["data_get_bars"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}/calendar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Calendar
         * @description The version's trading days from ``start`` to ``end``; 422 when start is after end.
         */
        get: operations["data_get_calendar"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}/instruments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Instruments
         * @description The instruments of one market of a dataset version, as its instrument list holds them (file order).
         */
        get: operations["data_list_instruments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}/markets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Markets
         * @description The version's instrument lists: instruments, rows and first and last day of each, and how a universe job made
         *     it (rule or upload) where known.
         */
        get: operations["data_list_markets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{dataset_id}/universes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Universe
         * @description Build a universe on this version: a worker writes the version plus ``instruments/<market>.txt`` (the top ``n``
         *     by mean traded value before each month's first trading day, or the given members) as the next version of its
         *     name; answers with the job at once. When the job has succeeded its ``dataset_id`` is the new version; symbols the
         *     version does not list fail the job, named.
         */
        post: operations["data_create_universe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest Version
         * @description Upload market data as the next version of ``name``: the body is the file, streamed (at most
         *     ``QLP_STORAGE__MAX_UPLOAD_BYTES``: 413 as soon as it passes). Archives are unpacked here, safely: members
         *     with absolute paths or ``..``, links, devices, too many members or a zip bomb are refused (422, with the reason). A
         *     worker then reads, validates and writes it (an ``ingest`` job, answered at once): when it succeeds, its
         *     ``dataset_id`` is the new version with its validation report; when the report has errors, the job fails naming
         *     them and nothing is registered.
         */
        post: operations["data_ingest_version"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/data/datasets/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Generate Dataset
         * @description Generate a synthetic market (planted, learnable signal) on a worker: answers with the job at once; when
         *     the job has succeeded its ``dataset_id`` is the new version.
         */
        post: operations["data_generate_dataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Experiments
         * @description Active MLflow experiments (the platform's hidden marker experiments left out).
         */
        get: operations["experiments_list_experiments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Compare Runs
         * @description Runs side by side: metrics, which run is best at each, and their curves on the union of their dates.
         */
        get: operations["experiments_compare_runs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Runs
         * @description Runs, newest first unless sorted otherwise; filters combine (AND). 404 for an unknown experiment id; 422 also
         *     for a tag value or user that MLflow's search cannot express exactly (both kinds of quotes, a trailing backslash,
         *     control characters) and for a page_token this API did not hand out.
         */
        get: operations["experiments_list_runs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Run
         * @description One run: its row, params, tags, artifact listing and the platform job that made it.
         */
        get: operations["experiments_get_run"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/runs/{run_id}/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Series
         * @description A run's daily curves (cumulative excess returns, drawdowns, turnover, IC and their 20-day means); 404 when
         *     the run exported none.
         */
        get: operations["experiments_get_series"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factor-sets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Sets */
        get: operations["factors_list_sets"];
        put?: never;
        /**
         * Create Set
         * @description The next version of a factor set: these factor versions (each factor's latest where none is named).
         */
        post: operations["factors_create_set"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factor-sets/{set_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Set */
        get: operations["factors_get_set"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Factors
         * @description The library: each factor with its latest version and its latest evaluation; sorted by name, creation, or
         *     the latest evaluation's Rank IC, IC, Rank ICIR (first horizon), decay (Rank IC last ÷ first horizon) or turnover
         *     (lowest first).
         */
        get: operations["factors_list_factors"];
        put?: never;
        /**
         * Create Factor
         * @description A new factor (version 1). The expression must pass our parser (422 naming the position and what was
         *     expected) and may not read the future (a negative Ref); it is stored as the canonical text Qlib gets.
         */
        post: operations["factors_create_factor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/{factor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Factor */
        get: operations["factors_get_factor"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/{factor_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive Factor
         * @description Archive a factor (the owner or an admin): no new version; factor sets keep the versions they name.
         */
        post: operations["factors_archive_factor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/{factor_id}/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate Factor
         * @description Evaluate a factor version on a dataset version, as a job with its live log (answered at once): IC and Rank
         *     IC per horizon, quantile returns, turnover, coverage, and redundancy against the library.
         */
        post: operations["factors_evaluate_factor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/{factor_id}/evaluations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Evaluations */
        get: operations["factors_list_evaluations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/{factor_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add Version
         * @description An edit is the next version (the owner or an admin); earlier versions stay as they were, with their runs.
         */
        post: operations["factors_add_version"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check Expression
         * @description Parse an expression as a factor's is vetted, for an editor (researcher or admin, like creating one): valid, or
         *     the error with its position and what was expected; the fields it reads, its look-back and look-ahead. Stores
         *     nothing.
         */
        post: operations["factors_check_expression"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/factors/evaluations/{evaluation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Evaluation
         * @description One evaluation with the series its charts draw.
         */
        get: operations["factors_get_evaluation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/model-policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Policies */
        get: operations["models_list_policies"];
        put?: never;
        /**
         * Create Policy
         * @description A named promotion policy (admin): thresholds on the test segment's IC, Rank IC, ICIR, Rank ICIR, annualised
         *     excess return with cost, information ratio and max drawdown, an optional margin over the alias's holder, and the
         *     aliases it guards (of one model, or of every model). 409 when the name exists or another policy guards one of
         *     the aliases in the same scope; 422 for a reserved or repeated alias.
         */
        post: operations["models_create_policy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/model-policies/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Policy */
        get: operations["models_get_policy"];
        /**
         * Update Policy
         * @description Replace a policy's thresholds, margin and guarded aliases (admin); the change is in its history. Decisions
         *     made before keep the policy as it was.
         */
        put: operations["models_update_policy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Models
         * @description Registered models with their aliases and latest version.
         */
        get: operations["models_list_models"];
        put?: never;
        /**
         * Register Model
         * @description Register a run's model as the next version of ``name`` (the model is made if new). The run must be a finished
         *     workflow run of the platform (its job succeeded): 404 for an unknown run, 422 for any other run or one that
         *     logged no model; 409 when the run is a version of this model already. The lineage (dataset version and hash,
         *     config hash, factor set) comes from the platform's own records of the job.
         */
        post: operations["models_register_model"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Model
         * @description A registered model: its aliases, versions (newest first) and which policy guards which alias.
         */
        get: operations["models_get_model"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{name}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set Alias
         * @description Point an alias at a version. When a policy guards the alias, only through its gate: a version that fails it is
         *     refused with 409 ``gate_failed`` naming each failed check; an admin may override with ``override_reason`` (a
         *     researcher asking for one gets 403). Every decision is recorded with its numbers, refused ones too. 409 also when
         *     the version holds the alias already; 422 for a reserved alias or a version made in MLflow directly.
         */
        post: operations["models_set_alias"];
        /**
         * Remove Alias
         * @description Take an alias off its version; one a policy guards only by an admin with a reason (403, 422 otherwise).
         */
        delete: operations["models_remove_alias"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{name}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Model History
         * @description Every change of the model made through the platform and who made it, newest first.
         */
        get: operations["models_model_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register Version
         * @description Register a run's model as the next version of an existing model (as ``POST /api/models``).
         */
        post: operations["models_register_version"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Version
         * @description A version: lineage, model files, the run's test-segment metrics, aliases, gate decisions and history.
         */
        get: operations["models_get_version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Edit Version
         * @description Edit a version's notes (recorded in its history; MLflow shows them as its description). 422 for a version
         *     made in MLflow directly.
         */
        patch: operations["models_edit_version"];
        trace?: never;
    };
    "/api/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Jobs */
        get: operations["jobs_list_jobs"];
        put?: never;
        /** Submit */
        post: operations["jobs_submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/train/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Job */
        get: operations["jobs_get_job"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/train/{job_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel */
        post: operations["jobs_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/train/{job_id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Logs */
        get: operations["jobs_get_logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Workers */
        get: operations["workers_list_workers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health
         * @description Liveness: public, answers as long as the API process serves.
         */
        get: operations["system_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Status
         * @description Host load, whether the database, MLflow and the broker answer, the workers seen and the job queue.
         */
        get: operations["system_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AliasRemoved */
        AliasRemoved: {
            /** Alias */
            alias: string;
            /** Name */
            name: string;
            /** Version */
            version: number;
        };
        /** AliasSet */
        AliasSet: {
            /**
             * Override Reason
             * @description Promote despite a failed gate (admin only): why, in words. Recorded with the decision.
             */
            override_reason?: string | null;
            /** Version */
            version: number;
        };
        /** ArtifactEntry */
        ArtifactEntry: {
            /** File Size */
            file_size: number | null;
            /** Is Dir */
            is_dir: boolean;
            /** Path */
            path: string;
        };
        /**
         * BarsRead
         * @description Daily bars of one instrument: every list has one entry per date; null where the data holds no value.
         */
        BarsRead: {
            /**
             * Adjust
             * @description adjusted: as Qlib stores them (prices × factor, volume ÷ factor); raw: as traded (prices ÷ factor, volume × factor).
             * @enum {string}
             */
            adjust: "adjusted" | "raw";
            /** Close */
            close: (number | null)[];
            /** Dates */
            dates: string[];
            /**
             * Factor
             * @description Qlib's adjustment factor: adjusted price ÷ raw price.
             */
            factor: (number | null)[];
            /** High */
            high: (number | null)[];
            /** Low */
            low: (number | null)[];
            /** Open */
            open: (number | null)[];
            /** Symbol */
            symbol: string;
            /** Volume */
            volume: (number | null)[];
        };
        /**
         * BeatsChampion
         * @description The candidate must beat the alias's current holder by ``margin`` on ``metric`` (candidate − holder ≥ margin;
         *     a drawdown is negative, so less deep is better there too), both trained on the same dataset version.
         */
        BeatsChampion: {
            /** Margin */
            margin: number;
            /**
             * Metric
             * @enum {string}
             */
            metric: "ic" | "rank_ic" | "icir" | "rank_icir" | "excess_return" | "information_ratio" | "max_drawdown";
        };
        /**
         * BenchmarkConfig
         * @description One config of a benchmark: inline YAML or a stored config.
         */
        BenchmarkConfig: {
            /** Config Id */
            config_id?: number | null;
            /** Config Text */
            config_text?: string | null;
            /**
             * Name
             * @description Its row on the leaderboard; default: the model class.
             */
            name?: string | null;
        } & ({
            config_id?: null;
            config_text: string;
        } | {
            config_id: number;
            config_text?: null;
        });
        /** BenchmarkCreate */
        BenchmarkCreate: {
            /** Configs */
            configs: components["schemas"]["BenchmarkConfig"][];
            /** Dataset Id */
            dataset_id: number;
            /**
             * Experiment Name
             * @default benchmarks
             */
            experiment_name: string;
            /**
             * N Seeds
             * @default 5
             */
            n_seeds: number;
            /** Name */
            name: string;
            /**
             * Priority
             * @default 4
             */
            priority: number;
            /** Queue */
            queue?: string | null;
            /**
             * Seeds
             * @description Distinct seeds; default: 0 … n_seeds - 1.
             */
            seeds?: number[] | null;
        };
        /** BenchmarkDetail */
        BenchmarkDetail: {
            /** Closed */
            closed: boolean;
            /**
             * Columns
             * @description The leaderboard's columns: heading and MLflow metric.
             */
            columns: {
                [key: string]: string;
            }[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Dataset */
            dataset?: string | null;
            /** Dataset Id */
            dataset_id: number | null;
            /** Entries */
            entries: components["schemas"]["BenchmarkEntry"][];
            /** Experiment Name */
            experiment_name: string;
            /** Id */
            id: number;
            /**
             * Jobs Done
             * @default 0
             */
            jobs_done: number;
            /**
             * Jobs Total
             * @default 0
             */
            jobs_total: number;
            /** Mlflow Experiment Id */
            mlflow_experiment_id: string | null;
            /** Name */
            name: string;
            /** Parent Run Id */
            parent_run_id: string | null;
            /** Seeds */
            seeds: number[];
            /**
             * State
             * @description queued, running, succeeded (every job), partial or failed (none).
             * @default queued
             */
            state: string;
        };
        /** BenchmarkEntry */
        BenchmarkEntry: {
            /**
             * Columns
             * @description Per MLflow metric name: its spread over the succeeded runs.
             */
            columns: {
                [key: string]: components["schemas"]["Spread"];
            };
            /** Config Hash */
            config_hash: string;
            /** Index */
            index: number;
            /** Model */
            model: string;
            /** Name */
            name: string;
            /** Runs */
            runs: components["schemas"]["BenchmarkRun"][];
            /**
             * Seed Path
             * @description The config key each run's seed was set at (null: the model takes none).
             */
            seed_path: string | null;
            /** States */
            states: {
                [key: string]: number;
            };
        };
        /** BenchmarkRead */
        BenchmarkRead: {
            /** Closed */
            closed: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Dataset */
            dataset?: string | null;
            /** Dataset Id */
            dataset_id: number | null;
            /** Experiment Name */
            experiment_name: string;
            /** Id */
            id: number;
            /**
             * Jobs Done
             * @default 0
             */
            jobs_done: number;
            /**
             * Jobs Total
             * @default 0
             */
            jobs_total: number;
            /** Mlflow Experiment Id */
            mlflow_experiment_id: string | null;
            /** Name */
            name: string;
            /** Parent Run Id */
            parent_run_id: string | null;
            /** Seeds */
            seeds: number[];
            /**
             * State
             * @description queued, running, succeeded (every job), partial or failed (none).
             * @default queued
             */
            state: string;
        };
        /** BenchmarkRun */
        BenchmarkRun: {
            /** Job Id */
            job_id: number;
            /**
             * Metrics
             * @description The leaderboard's metrics of this run.
             */
            metrics: {
                [key: string]: number;
            };
            /** Mlflow Run Id */
            mlflow_run_id: string | null;
            /** Seed */
            seed: number | null;
            /** State */
            state: string;
        };
        /** CalendarRead */
        CalendarRead: {
            /**
             * Dates
             * @description Trading days of the dataset's calendar, oldest first.
             */
            dates: string[];
        };
        /**
         * ChangesRead
         * @description What a version changed against its base version: files by fate, and the days and instruments it added.
         */
        ChangesRead: {
            /**
             * Added
             * @default 0
             */
            added: number;
            /**
             * Appended
             * @description Files that grew: only their new tail is stored.
             * @default 0
             */
            appended: number;
            /**
             * Days Added
             * @default 0
             */
            days_added: number;
            /** First New Day */
            first_new_day?: string | null;
            /** Instruments Added */
            instruments_added?: string[];
            /** Instruments Removed */
            instruments_removed?: string[];
            /** Markets Added */
            markets_added?: string[];
            /**
             * Removed
             * @default 0
             */
            removed: number;
            /**
             * Rewritten
             * @default 0
             */
            rewritten: number;
            /**
             * Unchanged
             * @default 0
             */
            unchanged: number;
        };
        /** Check */
        Check: {
            /**
             * Check
             * @description min_ic, …, max_drawdown, beats_champion.
             */
            check: string;
            /**
             * Metric
             * @description Qlib's metric name the check reads.
             */
            metric: string;
            /** Passed */
            passed: boolean;
            /** Reason */
            reason: string;
            /**
             * Threshold
             * @description The bound; for beats_champion the holder's value plus the margin.
             */
            threshold: number | null;
            /**
             * Value
             * @description The candidate's value (null: the run has no such metric).
             */
            value: number | null;
        };
        /** Compare */
        Compare: {
            /**
             * Best
             * @description Metric -> run_id of the best value (lowest for *.std and losses such as l2.valid, else highest).
             */
            best: {
                [key: string]: string;
            };
            /** Dates */
            dates: string[];
            /** Metric Keys */
            metric_keys: string[];
            /** Runs */
            runs: components["schemas"]["CompareRun"][];
        };
        /** CompareRun */
        CompareRun: {
            run: components["schemas"]["RunRow"];
            /** @description Aligned on the comparison's dates; all None without exported series. */
            series: components["schemas"]["SeriesValues"];
        };
        /** ConfigCheck */
        ConfigCheck: {
            /**
             * Errors
             * @description Empty when valid; the vetting stops at the first refusal.
             */
            errors: components["schemas"]["ConfigIssue"][];
            /** Valid */
            valid: boolean;
        };
        /**
         * ConfigCheckRequest
         * @description A workflow config to vet as a job submitted with it would be, without storing or running anything.
         */
        ConfigCheckRequest: {
            /**
             * Overrides
             * @description Dotted-path overrides, as a job takes them.
             */
            overrides?: {
                [key: string]: unknown;
            };
            /**
             * Text
             * @description qrun-format YAML.
             */
            text: string;
        };
        /** ConfigCreate */
        ConfigCreate: {
            /**
             * Description
             * @default
             */
            description: string;
            /** Name */
            name: string;
            /** Text */
            text: string;
        };
        /** ConfigDetail */
        ConfigDetail: {
            /** Content Hash */
            content_hash: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Description */
            description: string;
            /** Id */
            id: number;
            /** Name */
            name: string;
            /** Text */
            text: string;
        };
        /** ConfigIssue */
        ConfigIssue: {
            /**
             * Column
             * @description 1-based column in ``text``; null when the text does not hold it.
             */
            column: number | null;
            /**
             * Line
             * @description 1-based line in ``text``; null when the text does not hold it.
             */
            line: number | null;
            /**
             * Message
             * @description Why the config is refused.
             */
            message: string;
            /**
             * Path
             * @description Dotted path of the refused key or value (list items by index), if known.
             */
            path: string | null;
        };
        /** ConfigRead */
        ConfigRead: {
            /** Content Hash */
            content_hash: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Description */
            description: string;
            /** Id */
            id: number;
            /** Name */
            name: string;
        };
        /** DatasetCreate */
        DatasetCreate: {
            /**
             * Description
             * @default
             */
            description: string;
            /** Name */
            name: string;
            source: components["schemas"]["FolderSource"];
        };
        /** DatasetRead */
        DatasetRead: {
            /**
             * Archived At
             * @description When it was archived: no new job may use it; runs that used it keep it.
             */
            archived_at?: string | null;
            /**
             * Base Id
             * @description The version this one was built on (what `changes` compares with).
             */
            base_id?: number | null;
            /** Benchmarks */
            benchmarks: string[];
            /**
             * Calendar End
             * Format: date
             */
            calendar_end: string;
            /**
             * Calendar Start
             * Format: date
             */
            calendar_start: string;
            changes?: components["schemas"]["ChangesRead"] | null;
            /** Content Hash */
            content_hash: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Description */
            description: string;
            /** Fields */
            fields: string[];
            /** Freq */
            freq: string;
            /** Id */
            id: number;
            /** Instruments */
            instruments: number;
            /** Markets */
            markets: string[];
            /** Name */
            name: string;
            /** Size Bytes */
            size_bytes: number;
            /** Source */
            source: {
                [key: string]: unknown;
            };
            /**
             * Stored Bytes
             * @description Bytes this version added to the dataset store: only what no earlier version of the name holds (None until stored).
             */
            stored_bytes?: number | null;
            /** @description The ingest's validation report; None for versions not ingested (generated, imported). */
            validation?: components["schemas"]["ValidationRead"] | null;
            /** Version */
            version: number;
        };
        /** DecisionRead */
        DecisionRead: {
            /** Alias */
            alias: string;
            /**
             * Champion
             * @description The alias's holder it was compared with: version, run_id, dataset_id, metrics.
             */
            champion: {
                [key: string]: unknown;
            } | null;
            /** Checks */
            checks: components["schemas"]["Check"][];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Id */
            id: number;
            /** Metrics */
            metrics: {
                [key: string]: number;
            };
            /** Model Name */
            model_name: string;
            /** Note */
            note: string;
            /**
             * Outcome
             * @enum {string}
             */
            outcome: "promoted" | "refused" | "overridden";
            /** Override Reason */
            override_reason: string | null;
            /**
             * Passed
             * @description Whether every check passed.
             */
            passed: boolean;
            /** Policy Name */
            policy_name: string;
            /** Policy Snapshot */
            policy_snapshot: {
                [key: string]: unknown;
            };
            /** Username */
            username: string;
            /** Version */
            version: number;
        };
        /** Dependencies */
        Dependencies: {
            broker: components["schemas"]["DependencyStatus"];
            database: components["schemas"]["DependencyStatus"];
            mlflow: components["schemas"]["DependencyStatus"];
        };
        /** DependencyStatus */
        DependencyStatus: {
            /**
             * Error
             * @description the exception's type when unreachable (never its message)
             */
            error?: string | null;
            /**
             * Latency Ms
             * @description when reachable
             */
            latency_ms?: number | null;
            /** Ok */
            ok: boolean;
        };
        /** Disk */
        Disk: {
            /**
             * Free
             * @description bytes
             */
            free: number;
            /**
             * Path
             * @description the data folder
             */
            path: string;
            /** Percent */
            percent: number;
            /**
             * Total
             * @description bytes
             */
            total: number;
        };
        /** EvaluateRequest */
        EvaluateRequest: {
            /** Dataset Id */
            dataset_id: number;
            /** End */
            end?: string | null;
            /** Horizons */
            horizons?: number[];
            /**
             * Market
             * @default all
             */
            market: string;
            /**
             * Quantiles
             * @default 5
             */
            quantiles: number;
            /**
             * Queue
             * @description The workers' queue; default: the default queue.
             */
            queue?: string | null;
            /** Start */
            start?: string | null;
            /**
             * Version
             * @description Factor version; default: the latest.
             */
            version?: number | null;
        };
        /** EvaluationDetail */
        EvaluationDetail: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Dataset Hash */
            dataset_hash: string;
            /** Dataset Id */
            dataset_id: number | null;
            /** End */
            end: string | null;
            /**
             * Factor
             * @description That factor's name.
             */
            factor?: string | null;
            /**
             * Factor Id
             * @description The factor the evaluated version belongs to.
             */
            factor_id?: number | null;
            /** Factor Version Id */
            factor_version_id: number;
            /** Horizons */
            horizons: number[];
            /** Id */
            id: number;
            /** Job Id */
            job_id: number | null;
            /** Market */
            market: string;
            /** Mlflow Run Id */
            mlflow_run_id: string | null;
            /**
             * Result
             * @description The charts' series.
             */
            result?: {
                [key: string]: unknown;
            };
            /** Start */
            start: string | null;
            /**
             * State
             * @description The evaluation job's state.
             */
            state?: string | null;
            /**
             * Summary
             * @description Per horizon (`"1"`, `"5"`, …) ic, rank_ic, icir, rank_icir, t_stat, rank_t_stat; decay; long_short; turnover; autocorrelation; coverage; redundancy (the closest library factors) and redundant.
             */
            summary: {
                [key: string]: unknown;
            };
            /**
             * Version
             * @default 0
             */
            version: number;
        };
        /** EvaluationRead */
        EvaluationRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Dataset Hash */
            dataset_hash: string;
            /** Dataset Id */
            dataset_id: number | null;
            /** End */
            end: string | null;
            /**
             * Factor
             * @description That factor's name.
             */
            factor?: string | null;
            /**
             * Factor Id
             * @description The factor the evaluated version belongs to.
             */
            factor_id?: number | null;
            /** Factor Version Id */
            factor_version_id: number;
            /** Horizons */
            horizons: number[];
            /** Id */
            id: number;
            /** Job Id */
            job_id: number | null;
            /** Market */
            market: string;
            /** Mlflow Run Id */
            mlflow_run_id: string | null;
            /** Start */
            start: string | null;
            /**
             * State
             * @description The evaluation job's state.
             */
            state?: string | null;
            /**
             * Summary
             * @description Per horizon (`"1"`, `"5"`, …) ic, rank_ic, icir, rank_icir, t_stat, rank_t_stat; decay; long_short; turnover; autocorrelation; coverage; redundancy (the closest library factors) and redundant.
             */
            summary: {
                [key: string]: unknown;
            };
            /**
             * Version
             * @default 0
             */
            version: number;
        };
        /** EventRead */
        EventRead: {
            /**
             * Action
             * @description registered, notes_edited, alias_set, alias_removed, override, promotion_refused, policy_created, policy_updated.
             */
            action: string;
            /** Alias */
            alias: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Decision Id */
            decision_id: number | null;
            /** Details */
            details: {
                [key: string]: unknown;
            };
            /** Id */
            id: number;
            /** Model Name */
            model_name: string | null;
            /** Policy Name */
            policy_name: string | null;
            /** Username */
            username: string;
            /** Version */
            version: number | null;
        };
        /** ExperimentRead */
        ExperimentRead: {
            /** Creation Time */
            creation_time: string | null;
            /** Experiment Id */
            experiment_id: string;
            /** Last Update Time */
            last_update_time: string | null;
            /** Lifecycle Stage */
            lifecycle_stage: string;
            /** Name */
            name: string;
            /** Tags */
            tags: {
                [key: string]: string;
            };
        };
        /** ExpressionBody */
        ExpressionBody: {
            /**
             * Expression
             * @description A Qlib expression, e.g. `Ref($close, 5) / $close - 1`.
             */
            expression: string;
        };
        /** ExpressionCheck */
        ExpressionCheck: {
            error?: components["schemas"]["ExpressionError"] | null;
            info?: components["schemas"]["ExpressionInfo"] | null;
            /** Valid */
            valid: boolean;
        };
        /** ExpressionError */
        ExpressionError: {
            /** Expected */
            expected?: string[];
            /** Message */
            message: string;
            /**
             * Position
             * @description 0-based character offset in the expression.
             */
            position: number;
        };
        /** ExpressionInfo */
        ExpressionInfo: {
            /**
             * Canonical
             * @description The text Qlib gets.
             */
            canonical: string;
            /** Fields */
            fields: string[];
            /**
             * Lookahead
             * @description Why the expression reads the future (a negative Ref…); empty: it does not.
             */
            lookahead: string[];
            /**
             * Lookback
             * @description Trading days of history the expression needs; null: all of it.
             */
            lookback: number | null;
            /** Operators */
            operators: string[];
        };
        /** FactorCreate */
        FactorCreate: {
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Expression
             * @description A Qlib expression, e.g. `Ref($close, 5) / $close - 1`.
             */
            expression: string;
            /** Name */
            name: string;
            /** Tags */
            tags?: string[];
        };
        /** FactorDetail */
        FactorDetail: {
            /** Archived At */
            archived_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** @description The latest finished evaluation of any version. */
            evaluation?: components["schemas"]["EvaluationRead"] | null;
            /** Id */
            id: number;
            latest: components["schemas"]["FactorVersionRead"];
            /** Latest Version */
            latest_version: number;
            /** Name */
            name: string;
            /** Owner */
            owner?: string | null;
            /** Owner Id */
            owner_id: number | null;
            /** Versions */
            versions: components["schemas"]["FactorVersionRead"][];
        };
        /** FactorRead */
        FactorRead: {
            /** Archived At */
            archived_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** @description The latest finished evaluation of any version. */
            evaluation?: components["schemas"]["EvaluationRead"] | null;
            /** Id */
            id: number;
            latest: components["schemas"]["FactorVersionRead"];
            /** Latest Version */
            latest_version: number;
            /** Name */
            name: string;
            /** Owner */
            owner?: string | null;
            /** Owner Id */
            owner_id: number | null;
        };
        /** FactorRef */
        FactorRef: {
            /** Factor Id */
            factor_id: number;
            /**
             * Version
             * @description Default: the latest.
             */
            version?: number | null;
        };
        /** FactorSetCreate */
        FactorSetCreate: {
            /**
             * Description
             * @default
             */
            description: string;
            /** Factors */
            factors: components["schemas"]["FactorRef"][];
            /**
             * Include Alpha158
             * @default false
             */
            include_alpha158: boolean;
            /** Name */
            name: string;
        };
        /** FactorSetMember */
        FactorSetMember: {
            /** Expression */
            expression: string;
            /** Factor Id */
            factor_id: number;
            /** Factor Version Id */
            factor_version_id: number;
            /** Name */
            name: string;
            /** Version */
            version: number;
        };
        /** FactorSetRead */
        FactorSetRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Description */
            description: string;
            /** Factor Version Ids */
            factor_version_ids: number[];
            /** Id */
            id: number;
            /** Include Alpha158 */
            include_alpha158: boolean;
            /** Members */
            members?: components["schemas"]["FactorSetMember"][];
            /** Name */
            name: string;
            /** Version */
            version: number;
        };
        /** FactorVersionCreate */
        FactorVersionCreate: {
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Expression
             * @description A Qlib expression, e.g. `Ref($close, 5) / $close - 1`.
             */
            expression: string;
            /** Tags */
            tags?: string[];
        };
        /** FactorVersionRead */
        FactorVersionRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: number | null;
            /** Description */
            description: string;
            /** Expression */
            expression: string;
            /** Fields */
            fields: string[];
            /** Id */
            id: number;
            /** Lookahead */
            lookahead: string[];
            /** Lookback */
            lookback: number | null;
            /** Tags */
            tags: string[];
            /** Version */
            version: number;
        };
        /**
         * FolderSource
         * @description Register a Qlib data folder already on the server, below the configured import folder (admin only).
         */
        FolderSource: {
            /**
             * Kind
             * @default folder
             * @constant
             */
            kind: "folder";
            /** Path */
            path: string;
        };
        /** Health */
        Health: {
            /**
             * Status
             * @description The API answers (nothing else is checked: see /status).
             * @constant
             */
            status: "ok";
        };
        /** HostStatus */
        HostStatus: {
            /** Cpu Count */
            cpu_count: number | null;
            /** Cpu Percent */
            cpu_percent: number;
            disk: components["schemas"]["Disk"];
            /**
             * Load Avg
             * @description 1, 5 and 15 minutes
             */
            load_avg: number[];
            memory: components["schemas"]["Memory"];
        };
        /** InstrumentRead */
        InstrumentRead: {
            /**
             * End
             * Format: date
             * @description Last day listed.
             */
            end: string;
            /**
             * Start
             * Format: date
             * @description First day listed.
             */
            start: string;
            /** Symbol */
            symbol: string;
        };
        /** JobCounts */
        JobCounts: {
            /** By State */
            by_state: {
                [key: string]: number;
            };
            /** Queued */
            queued: number;
            /** Running */
            running: number;
        };
        /** JobDetail */
        JobDetail: {
            /** Attempt */
            attempt: number;
            /** Cancel Requested */
            cancel_requested: boolean;
            /** Config Hash */
            config_hash: string;
            /** Config Id */
            config_id: number | null;
            /** Config Text */
            config_text: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Dataset Id */
            dataset_id: number | null;
            /** Error */
            error: string | null;
            /** Experiment Name */
            experiment_name: string;
            /** Finished At */
            finished_at: string | null;
            /** Heartbeat At */
            heartbeat_at: string | null;
            /** Id */
            id: number;
            /** Kind */
            kind: string;
            /** Log Count */
            log_count: number;
            /** Max Attempts */
            max_attempts: number;
            /** Metrics */
            metrics: {
                [key: string]: number;
            };
            /** Mlflow Experiment Id */
            mlflow_experiment_id: string | null;
            /** Mlflow Run Id */
            mlflow_run_id: string | null;
            /** Mlflow Url */
            mlflow_url?: string | null;
            /** Name */
            name: string;
            /** Overrides */
            overrides: {
                [key: string]: unknown;
            };
            /** Priority */
            priority: number;
            /** Queue */
            queue: string;
            /** Started At */
            started_at: string | null;
            /** State */
            state: string;
            /** User Id */
            user_id: number | null;
            /**
             * Username
             * @description The submitter's username (None once the user is deleted).
             */
            username?: string | null;
            /** Worker */
            worker: string | null;
        };
        /** JobRead */
        JobRead: {
            /** Attempt */
            attempt: number;
            /** Cancel Requested */
            cancel_requested: boolean;
            /** Config Hash */
            config_hash: string;
            /** Config Id */
            config_id: number | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Dataset Id */
            dataset_id: number | null;
            /** Error */
            error: string | null;
            /** Experiment Name */
            experiment_name: string;
            /** Finished At */
            finished_at: string | null;
            /** Heartbeat At */
            heartbeat_at: string | null;
            /** Id */
            id: number;
            /** Kind */
            kind: string;
            /** Log Count */
            log_count: number;
            /** Max Attempts */
            max_attempts: number;
            /** Metrics */
            metrics: {
                [key: string]: number;
            };
            /** Mlflow Experiment Id */
            mlflow_experiment_id: string | null;
            /** Mlflow Run Id */
            mlflow_run_id: string | null;
            /** Mlflow Url */
            mlflow_url?: string | null;
            /** Name */
            name: string;
            /** Overrides */
            overrides: {
                [key: string]: unknown;
            };
            /** Priority */
            priority: number;
            /** Queue */
            queue: string;
            /** Started At */
            started_at: string | null;
            /** State */
            state: string;
            /** User Id */
            user_id: number | null;
            /**
             * Username
             * @description The submitter's username (None once the user is deleted).
             */
            username?: string | null;
            /** Worker */
            worker: string | null;
        };
        /**
         * Lineage
         * @description What the version was made from, read from the platform's own records when it was registered.
         */
        Lineage: {
            /** Config Hash */
            config_hash: string;
            /** Dataset Hash */
            dataset_hash: string;
            /** Dataset Id */
            dataset_id: number | null;
            /** Dataset Name */
            dataset_name: string;
            /** Dataset Version */
            dataset_version: number;
            /** Experiment Id */
            experiment_id: string;
            /**
             * Factor Set
             * @description NAME@vN of the factor set the handler trained on, if any.
             */
            factor_set: string | null;
            /** Factor Versions */
            factor_versions: string[];
            /** Job Id */
            job_id: number | null;
            /** Model Class */
            model_class: string | null;
            /** Run Id */
            run_id: string;
        };
        /** LoginRequest */
        LoginRequest: {
            /** Password */
            password: string;
            /** Username */
            username: string;
        };
        /** LogLine */
        LogLine: {
            /** Line */
            line: string;
            /** Seq */
            seq: number;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
        };
        /** LogPage */
        LogPage: {
            /** Job Id */
            job_id: number;
            /** Lines */
            lines: components["schemas"]["LogLine"][];
            /** Next Offset */
            next_offset: number;
            /** Offset */
            offset: number;
            /** State */
            state: string;
        };
        /**
         * MarketPayload
         * @description Generates a synthetic market (planted, learnable signal) and registers it as a dataset version.
         */
        MarketPayload: {
            /**
             * Benchmark
             * @default DEMOIDX
             */
            benchmark: string;
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Kind
             * @default market
             * @constant
             */
            kind: "market";
            /**
             * Market
             * @default demo
             */
            market: string;
            /**
             * N Instruments
             * @default 50
             */
            n_instruments: number;
            /**
             * Name
             * @description Dataset name the generated version is registered under.
             */
            name: string;
            /**
             * Seed
             * @default 0
             */
            seed: number;
            /**
             * Start
             * Format: date
             * @description First calendar day, 1900-01-01 to 2199-12-31.
             * @default 2020-01-01
             */
            start: string;
            /**
             * Years
             * @default 3
             */
            years: number;
        };
        /**
         * MarketRead
         * @description One instrument list of a version.
         */
        MarketRead: {
            /** First Day */
            first_day: string | null;
            /**
             * Instruments
             * @description Distinct instruments.
             */
            instruments: number;
            /** Last Day */
            last_day: string | null;
            /**
             * Lines
             * @description Rows: an instrument listed over several stretches has several.
             */
            lines: number;
            /** Name */
            name: string;
            /**
             * Source
             * @description How a universe job made it: rule (top traded) or upload (given members); null when not known.
             */
            source?: ("rule" | "upload") | null;
        };
        /**
         * Member
         * @description One member row: the instrument is in the universe from ``start`` to ``end`` (both included).
         */
        Member: {
            /**
             * End
             * Format: date
             */
            end: string;
            /**
             * Start
             * Format: date
             */
            start: string;
            /** Symbol */
            symbol: string;
        };
        /** Memory */
        Memory: {
            /**
             * Available
             * @description bytes
             */
            available: number;
            /** Percent */
            percent: number;
            /**
             * Total
             * @description bytes
             */
            total: number;
        };
        /**
         * ModelCreate
         * @description Register a run's model under ``name``: the registered model is created when it does not exist yet.
         */
        ModelCreate: {
            /** Name */
            name: string;
            /**
             * Notes
             * @default
             */
            notes: string;
            /**
             * Run Id
             * @description A finished workflow run of the platform (its job succeeded).
             */
            run_id: string;
        };
        /** ModelDetail */
        ModelDetail: {
            /**
             * Aliases
             * @description Alias -> the version it points at.
             */
            aliases: {
                [key: string]: number;
            };
            /** Created At */
            created_at: string | null;
            /** Description */
            description: string;
            /**
             * Guards
             * @description The aliases of this model a policy guards, and which.
             */
            guards: components["schemas"]["PolicyRef"][];
            /** Latest Version */
            latest_version: number | null;
            /** Name */
            name: string;
            /** Updated At */
            updated_at: string | null;
            /**
             * Versions
             * @description Newest first.
             */
            versions: components["schemas"]["VersionRow"][];
        };
        /** ModelFile */
        ModelFile: {
            /**
             * Format
             * @description lightgbm_text, xgboost_json, catboost, onnx, safetensors, json, pickle, torch, other.
             */
            format: string;
            /** Path */
            path: string;
            /**
             * Safe
             * @description Loadable without unpickling (serving may use it).
             */
            safe: boolean;
        };
        /** ModelRead */
        ModelRead: {
            /**
             * Aliases
             * @description Alias -> the version it points at.
             */
            aliases: {
                [key: string]: number;
            };
            /** Created At */
            created_at: string | null;
            /** Description */
            description: string;
            /** Latest Version */
            latest_version: number | null;
            /** Name */
            name: string;
            /** Updated At */
            updated_at: string | null;
        };
        /** NotesUpdate */
        NotesUpdate: {
            /** Notes */
            notes: string;
        };
        /** PolicyBody */
        PolicyBody: {
            /**
             * Aliases
             * @description The aliases it guards.
             */
            aliases: string[];
            beats_champion?: components["schemas"]["BeatsChampion"] | null;
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Model Name
             * @description Guard this model's aliases only; null: every model's.
             */
            model_name?: string | null;
            thresholds?: components["schemas"]["Thresholds"];
        };
        /** PolicyCreate */
        PolicyCreate: {
            /**
             * Aliases
             * @description The aliases it guards.
             */
            aliases: string[];
            beats_champion?: components["schemas"]["BeatsChampion"] | null;
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Model Name
             * @description Guard this model's aliases only; null: every model's.
             */
            model_name?: string | null;
            /** Name */
            name: string;
            thresholds?: components["schemas"]["Thresholds"];
        };
        /** PolicyDetail */
        PolicyDetail: {
            /** Aliases */
            aliases: string[];
            beats_champion: components["schemas"]["BeatsChampion"] | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /**
             * History
             * @description Its creation and every update, newest first.
             */
            history: components["schemas"]["EventRead"][];
            /** Id */
            id: number;
            /** Model Name */
            model_name: string | null;
            /** Name */
            name: string;
            thresholds: components["schemas"]["Thresholds"];
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** PolicyRead */
        PolicyRead: {
            /** Aliases */
            aliases: string[];
            beats_champion: components["schemas"]["BeatsChampion"] | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /** Id */
            id: number;
            /** Model Name */
            model_name: string | null;
            /** Name */
            name: string;
            thresholds: components["schemas"]["Thresholds"];
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** PolicyRef */
        PolicyRef: {
            /** Alias */
            alias: string;
            /** Policy */
            policy: string;
        };
        /**
         * ProbePayload
         * @description Prints ``lines`` lines at ``rate`` lines/s, then exits with ``exit_code``: exercises dispatch, workers and
         *     live logs without Qlib.
         */
        ProbePayload: {
            /**
             * Exit Code
             * @default 0
             */
            exit_code: number;
            /**
             * Kind
             * @default probe
             * @constant
             */
            kind: "probe";
            /**
             * Lines
             * @default 10
             */
            lines: number;
            /**
             * Rate
             * @default 50
             */
            rate: number;
        };
        /**
         * Problem
         * @description RFC 9457 problem details, as every error of this API is answered.
         */
        Problem: {
            /** @description What went wrong, for programs: branch on this, never on ``detail``. */
            code: components["schemas"]["ProblemCode"];
            /**
             * Detail
             * @description What went wrong, for people; a list of field errors when the request did not match its schema.
             */
            detail: string | {
                [key: string]: unknown;
            }[];
            /**
             * Request Id
             * @description Quote it when reporting: the service log has the same id.
             */
            request_id: string;
            /**
             * Status
             * @description The HTTP status code.
             */
            status: number;
            /**
             * Title
             * @description The HTTP status phrase.
             */
            title: string;
            /**
             * Type
             * @description Always about:blank: ``code`` says what went wrong.
             * @default about:blank
             */
            type: string;
        };
        /**
         * ProblemCode
         * @enum {string}
         */
        ProblemCode: "bad_request" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "gone" | "too_large" | "validation_failed" | "refused" | "throttled" | "unavailable" | "internal" | "job_not_claimable" | "job_not_yours" | "log_race" | "last_admin" | "gate_failed";
        /**
         * ProblemRead
         * @description One problem the validation found: its check, instrument (None for the whole market) and dates.
         */
        ProblemRead: {
            /** Check */
            check: string;
            /**
             * Count
             * @default 0
             */
            count: number;
            /** Dates */
            dates?: string[];
            /** First */
            first?: string | null;
            /** Last */
            last?: string | null;
            /** Message */
            message: string;
            /** Symbol */
            symbol?: string | null;
        };
        /** Promotion */
        Promotion: {
            /** Alias */
            alias: string;
            /** @description The gate's decision; null when no policy guards the alias. */
            decision: components["schemas"]["DecisionRead"] | null;
            /** Name */
            name: string;
            /** Previous Version */
            previous_version: number | null;
            /** Version */
            version: number;
        };
        /** RefreshRequest */
        RefreshRequest: {
            /** Refresh Token */
            refresh_token: string;
        };
        /** RunDetail */
        RunDetail: {
            /** Artifacts */
            artifacts: components["schemas"]["ArtifactEntry"][];
            /**
             * Artifacts Truncated
             * @description The listing stopped at its bound; the run has more artifacts.
             */
            artifacts_truncated: boolean;
            /** @description The platform job whose MLflow run this is, if any. */
            job: components["schemas"]["JobRead"] | null;
            /** Params */
            params: {
                [key: string]: string;
            };
            run: components["schemas"]["RunRow"];
            /** Tags */
            tags: {
                [key: string]: string;
            };
        };
        /** RunPage */
        RunPage: {
            /**
             * Metric Keys
             * @description The metrics on this page: Qlib's key metrics first, then the rest.
             */
            metric_keys: string[];
            /** Next Page Token */
            next_page_token: string | null;
            /** Runs */
            runs: components["schemas"]["RunRow"][];
        };
        /** RunRow */
        RunRow: {
            /** Dataset Id */
            dataset_id: number | null;
            /** End Time */
            end_time: string | null;
            /** Experiment Id */
            experiment_id: string;
            /** Experiment Name */
            experiment_name: string | null;
            /** Job Id */
            job_id: number | null;
            /**
             * Metrics
             * @description The latest value of every finite metric, by Qlib's names.
             */
            metrics: {
                [key: string]: number;
            };
            /**
             * Mlflow Url
             * @description The run in the MLflow UI, behind the platform's door.
             */
            mlflow_url: string;
            /** Model Class */
            model_class: string | null;
            /** Run Id */
            run_id: string;
            /** Run Name */
            run_name: string;
            /** Start Time */
            start_time: string | null;
            /** Status */
            status: string;
            /** User */
            user: string | null;
        };
        /** RunSeries */
        RunSeries: {
            /**
             * Cum Excess Return
             * @description Cumulative sum of return - bench.
             */
            cum_excess_return: (number | null)[];
            /**
             * Cum Excess Return With Cost
             * @description Cumulative sum of return - bench - cost.
             */
            cum_excess_return_with_cost: (number | null)[];
            /** Dates */
            dates: string[];
            /**
             * Drawdown
             * @description The with-cost curve minus its running maximum.
             */
            drawdown: (number | null)[];
            /** Drawdown Without Cost */
            drawdown_without_cost: (number | null)[];
            /** Ic */
            ic: (number | null)[];
            /**
             * Ic Rolling 20
             * @description Mean of the last 20 IC values (None before 20).
             */
            ic_rolling_20: (number | null)[];
            /** Rank Ic */
            rank_ic: (number | null)[];
            /** Rank Ic Rolling 20 */
            rank_ic_rolling_20: (number | null)[];
            /** Run Id */
            run_id: string;
            /** Turnover */
            turnover: (number | null)[];
        };
        /**
         * SeriesValues
         * @description Daily curves of one run, each aligned on the dates they are shown with (None: no value that day).
         */
        SeriesValues: {
            /**
             * Cum Excess Return
             * @description Cumulative sum of return - bench.
             */
            cum_excess_return: (number | null)[];
            /**
             * Cum Excess Return With Cost
             * @description Cumulative sum of return - bench - cost.
             */
            cum_excess_return_with_cost: (number | null)[];
            /**
             * Drawdown
             * @description The with-cost curve minus its running maximum.
             */
            drawdown: (number | null)[];
            /** Drawdown Without Cost */
            drawdown_without_cost: (number | null)[];
            /** Ic */
            ic: (number | null)[];
            /**
             * Ic Rolling 20
             * @description Mean of the last 20 IC values (None before 20).
             */
            ic_rolling_20: (number | null)[];
            /** Rank Ic */
            rank_ic: (number | null)[];
            /** Rank Ic Rolling 20 */
            rank_ic_rolling_20: (number | null)[];
            /** Turnover */
            turnover: (number | null)[];
        };
        /** Spread */
        Spread: {
            /** Max */
            max: number | null;
            /** Mean */
            mean: number | null;
            /** Min */
            min: number | null;
            /** N */
            n: number;
            /**
             * Std
             * @description Sample standard deviation (n - 1); null below two runs.
             */
            std: number | null;
        };
        /** Status */
        Status: {
            dependencies: components["schemas"]["Dependencies"];
            host: components["schemas"]["HostStatus"];
            jobs: components["schemas"]["JobCounts"];
            /**
             * Mode
             * @description embedded | distributed
             */
            mode: string;
            /**
             * Workers
             * @description workers seen in the last minute
             */
            workers: components["schemas"]["WorkerRead"][];
        };
        /**
         * Thresholds
         * @description Bounds on the candidate run's test-segment metrics; null: not checked. A missing metric fails its bound.
         */
        Thresholds: {
            /**
             * Max Drawdown
             * @description The deepest drawdown allowed, as a positive number: 0.15 passes a 1day.excess_return_with_cost.max_drawdown of -0.12 and fails -0.2.
             */
            max_drawdown?: number | null;
            /**
             * Min Excess Return
             * @description 1day.excess_return_with_cost.annualized_return at least this.
             */
            min_excess_return?: number | null;
            /**
             * Min Ic
             * @description IC at least this.
             */
            min_ic?: number | null;
            /**
             * Min Icir
             * @description ICIR at least this.
             */
            min_icir?: number | null;
            /**
             * Min Information Ratio
             * @description 1day.excess_return_with_cost.information_ratio at least this.
             */
            min_information_ratio?: number | null;
            /**
             * Min Rank Ic
             * @description Rank IC at least this.
             */
            min_rank_ic?: number | null;
            /**
             * Min Rank Icir
             * @description Rank ICIR at least this.
             */
            min_rank_icir?: number | null;
        };
        /** TokenCreate */
        TokenCreate: {
            /** Areas */
            areas?: ("api" | "mlflow")[];
            /**
             * Expires In Days
             * @description None: until revoked
             * @default 90
             */
            expires_in_days: number | null;
            /** Name */
            name: string;
            /**
             * Scope
             * @description read = viewer, write = researcher, admin; never above your role
             * @default write
             * @enum {string}
             */
            scope: "read" | "write" | "admin";
        };
        /** TokenCreated */
        TokenCreated: {
            /** Areas */
            areas: ("api" | "mlflow")[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Expires At */
            expires_at: string | null;
            /** Id */
            id: number;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Revoked */
            revoked: boolean;
            /**
             * Scope
             * @enum {string}
             */
            scope: "read" | "write" | "admin";
            /**
             * Token
             * @description Shown once; only its hash is stored.
             */
            token: string;
            /**
             * User Id
             * @description The token's owner (admins listing every user's tokens see whose it is).
             */
            user_id: number;
        };
        /** TokenPair */
        TokenPair: {
            /** Access Token */
            access_token: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** Refresh Token */
            refresh_token: string;
            /**
             * Token Type
             * @default bearer
             * @constant
             */
            token_type: "bearer";
            user: components["schemas"]["UserRead"];
        };
        /** TokenRead */
        TokenRead: {
            /** Areas */
            areas: ("api" | "mlflow")[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Expires At */
            expires_at: string | null;
            /** Id */
            id: number;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Revoked */
            revoked: boolean;
            /**
             * Scope
             * @enum {string}
             */
            scope: "read" | "write" | "admin";
            /**
             * User Id
             * @description The token's owner (admins listing every user's tokens see whose it is).
             */
            user_id: number;
        };
        /**
         * TopTradedRule
         * @description At each rebalance (the first trading day of each month), the ``n`` instruments with the highest mean daily
         *     traded value over the ``window`` trading days before it; members until the next rebalance.
         */
        TopTradedRule: {
            /**
             * Min Days
             * @description Traded days in the window an instrument needs to be ranked (at most window); default window // 2.
             */
            min_days?: number | null;
            /**
             * N
             * @description Members per rebalance (fewer where fewer are eligible).
             */
            n: number;
            /**
             * Rebalance
             * @default monthly
             * @constant
             */
            rebalance: "monthly";
            /**
             * Window
             * @description Trading days before the rebalance day the ranking reads.
             * @default 60
             */
            window: number;
        };
        /**
         * TrainRequest
         * @description A training job: a qrun YAML (inline text or a stored config) on a dataset version, with overrides;
         *     or a probe job that exercises the job path itself (dispatch, workers, logs).
         */
        TrainRequest: {
            /** Config Id */
            config_id?: number | null;
            /** Config Text */
            config_text?: string | null;
            /** Dataset Id */
            dataset_id?: number | null;
            /** Experiment Name */
            experiment_name?: string | null;
            /**
             * Kind
             * @default workflow
             * @enum {string}
             */
            kind: "workflow" | "probe";
            /**
             * Max Attempts
             * @description attempts before a job whose worker is lost fails
             * @default 3
             */
            max_attempts: number;
            /**
             * Name
             * @default
             */
            name: string;
            /** Overrides */
            overrides?: {
                [key: string]: unknown;
            };
            /**
             * Priority
             * @description 0 lowest, 9 highest
             * @default 5
             */
            priority: number;
            probe?: components["schemas"]["ProbePayload"] | null;
            /** Queue */
            queue?: string | null;
        } | {
            config_id?: null;
            config_text: string;
            dataset_id: number;
            /** @constant */
            kind?: "workflow";
        } | {
            config_id: number;
            config_text?: null;
            dataset_id: number;
            /** @constant */
            kind?: "workflow";
        } | {
            config_id?: null;
            config_text?: null;
            dataset_id?: null;
            /** @constant */
            kind: "probe";
        };
        /**
         * UniverseCreate
         * @description A universe: a market chosen by a rule (``rule``) or given as its members (``members``): exactly one of them.
         */
        UniverseCreate: {
            /**
             * Description
             * @description The new version's description; one is made when empty.
             * @default
             */
            description: string;
            /**
             * Market
             * @description Name of the instrument list written, lower-cased (Qlib reads instruments/<market in lower case>.txt); not `all` or `index`. A market of that name in the base version is replaced.
             */
            market: string;
            /**
             * Members
             * @description Member rows: symbol (any spelling the ingest takes: 600000.SH, sh600000), first and last day. The job refuses symbols the version does not list, naming them; rows are clipped to each instrument's listing.
             */
            members?: components["schemas"]["Member"][] | null;
            rule?: components["schemas"]["TopTradedRule"] | null;
        } | {
            members?: null;
            rule: Record<string, never>;
        } | {
            members: unknown[];
            rule?: null;
        };
        /** UserCreate */
        UserCreate: {
            /**
             * Password
             * @description At least 10 characters, not a common password, not the username, at least 4 distinct characters.
             */
            password: string;
            /**
             * Role
             * @default researcher
             * @enum {string}
             */
            role: "admin" | "researcher" | "viewer";
            /** Username */
            username: string;
        };
        /** UserRead */
        UserRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Id */
            id: number;
            /** Is Active */
            is_active: boolean;
            /**
             * Role
             * @enum {string}
             */
            role: "admin" | "researcher" | "viewer";
            /** Username */
            username: string;
        };
        /**
         * UserUpdate
         * @description Only the fields given change. Refused (409 ``last_admin``) when no active admin would be left.
         */
        UserUpdate: {
            /** Is Active */
            is_active?: boolean | null;
            /**
             * Password
             * @description At least 10 characters, not a common password, not the username, at least 4 distinct characters.
             */
            password?: string | null;
            /** Role */
            role?: ("admin" | "researcher" | "viewer") | null;
        };
        /**
         * ValidationRead
         * @description The validation report of an ingest: errors reject a version, warnings stay with it.
         */
        ValidationRead: {
            /** Benchmarks */
            benchmarks?: string[];
            /**
             * Config
             * @description The thresholds the checks ran under.
             */
            config?: {
                [key: string]: unknown;
            };
            /**
             * Days
             * @default 0
             */
            days: number;
            /** Errors */
            errors?: components["schemas"]["ProblemRead"][];
            /** Fields */
            fields?: string[];
            /** First Day */
            first_day?: string | null;
            /**
             * Instruments
             * @default 0
             */
            instruments: number;
            /** Last Day */
            last_day?: string | null;
            /**
             * Omitted
             * @description Problems past the cap, per level/check.
             */
            omitted?: {
                [key: string]: number;
            };
            /**
             * Rows
             * @default 0
             */
            rows: number;
            /** Warnings */
            warnings?: components["schemas"]["ProblemRead"][];
        };
        /** VersionCreate */
        VersionCreate: {
            /**
             * Notes
             * @default
             */
            notes: string;
            /**
             * Run Id
             * @description A finished workflow run of the platform (its job succeeded).
             */
            run_id: string;
        };
        /** VersionDetail */
        VersionDetail: {
            /** Aliases */
            aliases: string[];
            /** Created At */
            created_at: string | null;
            /**
             * Decisions
             * @description Every gate decision on this version, newest first.
             */
            decisions: components["schemas"]["DecisionRead"][];
            /**
             * History
             * @description Every change of this version, newest first.
             */
            history: components["schemas"]["EventRead"][];
            /** @description Null for a version made in MLflow directly. */
            lineage: components["schemas"]["Lineage"] | null;
            /**
             * Metrics
             * @description The run's test-segment metrics, by Qlib's names.
             */
            metrics: {
                [key: string]: number;
            };
            /** Mlflow Url */
            mlflow_url: string | null;
            /** Model Files */
            model_files: components["schemas"]["ModelFile"][];
            /** Name */
            name: string;
            /** Notes */
            notes: string;
            /** Registered By */
            registered_by: string | null;
            /**
             * Registered Via Api
             * @description False: made in MLflow directly (no verified lineage; it cannot be promoted through the gate).
             */
            registered_via_api: boolean;
            /** Run Id */
            run_id: string | null;
            /**
             * Safe Format
             * @description The run holds a model file that loads without unpickling.
             */
            safe_format: boolean;
            /** Source */
            source: string;
            /** Status */
            status: string;
            /** Version */
            version: number;
        };
        /** VersionRow */
        VersionRow: {
            /** Aliases */
            aliases: string[];
            /** Created At */
            created_at: string | null;
            /** Name */
            name: string;
            /** Notes */
            notes: string;
            /**
             * Registered Via Api
             * @description False: made in MLflow directly (no verified lineage; it cannot be promoted through the gate).
             */
            registered_via_api: boolean;
            /** Run Id */
            run_id: string | null;
            /** Source */
            source: string;
            /** Status */
            status: string;
            /** Version */
            version: number;
        };
        /** WorkerRead */
        WorkerRead: {
            /** Concurrency */
            concurrency: number;
            /** Hostname */
            hostname: string;
            /** Info */
            info: {
                [key: string]: unknown;
            };
            /**
             * Last Seen
             * Format: date-time
             */
            last_seen: string;
            /** Name */
            name: string;
            /** Queues */
            queues: string[];
            /** Running Jobs */
            running_jobs?: number[];
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_create_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_end_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    auth_list_tokens: {
        parameters: {
            query?: {
                /** @description every user's tokens (admin only) */
                all_users?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_create_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenCreated"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_revoke_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_list_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_create_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    auth_update_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    benchmarks_list_benchmarks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BenchmarkRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    benchmarks_create_benchmark: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BenchmarkCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BenchmarkDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    benchmarks_get_benchmark: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                benchmark_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BenchmarkDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    benchmarks_cancel_benchmark: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                benchmark_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BenchmarkDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    benchmarks_leaderboard_markdown: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                benchmark_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The leaderboard in Qlib's table layout. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/markdown": string;
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    configs_list_configs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    configs_create_config: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfigCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    configs_get_config: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                config_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    configs_validate_config: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfigCheckRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigCheck"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_list_datasets: {
        parameters: {
            query?: {
                name?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_create_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DatasetCreate"];
            };
        };
        responses: {
            /** @description The same content is already registered under this name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetRead"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_get_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_archive_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_get_bars: {
        parameters: {
            query: {
                /** @description adjusted: as Qlib stores them (prices × factor, volume ÷ factor); raw: prices ÷ factor, volume × factor. */
                adjust?: "adjusted" | "raw";
                /** @description Last day (included), YYYY-MM-DD; open when left out. */
                end?: string | null;
                /** @description First day (included), YYYY-MM-DD; open when left out. */
                start?: string | null;
                /** @description An instrument of one of the version's markets (any case). */
                symbol: string;
            };
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BarsRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_get_calendar: {
        parameters: {
            query?: {
                /** @description Last day (included), YYYY-MM-DD; open when left out. */
                end?: string | null;
                /** @description First day (included), YYYY-MM-DD; open when left out. */
                start?: string | null;
            };
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_list_instruments: {
        parameters: {
            query?: {
                limit?: number;
                /** @description One of the version's markets. */
                market?: string;
                offset?: number;
                /** @description Symbol prefix, any case. */
                q?: string | null;
            };
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstrumentRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_list_markets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MarketRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_create_universe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UniverseCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_ingest_version: {
        parameters: {
            query: {
                /** @description Add the upload's days or instruments to the newest version instead of replacing it: the new version holds both and stores only what changed; a row that would change the base's history is an error. */
                append?: boolean;
                /** @description Benchmark index instruments, any spelling. */
                benchmark?: string[];
                /** @description strptime format of the dates, e.g. `%Y%m%d`; detected when left out. */
                date_format?: string | null;
                description?: string;
                /** @description The upload's file name: its ending says how to read it; a single per-instrument file's stem is its symbol. */
                filename: string;
                /** @description Column mapping `source:ours` (or `source=ours`), e.g. `trade_date:date`, `ts_code:symbol`, `vol:volume`. */
                map?: string[];
                /** @description Name of the instrument list written besides all.txt. */
                market?: string;
                /** @description adjusted: prices are adjusted already; raw: the factor column adjusts them. */
                prices?: string;
            };
            header?: never;
            path: {
                /** @description Dataset name; the upload becomes its next version. */
                name: string;
            };
            cookie?: never;
        };
        /** @description The file itself, streamed: CSV, .csv.gz, Parquet, or a .zip/.tar/.tar.gz of such files or of a Qlib folder. Its kind is read from `filename`. */
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    data_generate_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MarketPayload"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    experiments_list_experiments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    experiments_compare_runs: {
        parameters: {
            query: {
                /** @description 1 to 8 distinct run ids. */
                run_ids: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Compare"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    experiments_list_runs: {
        parameters: {
            query?: {
                /** @description Runs trained on this dataset version. */
                dataset_id?: number | null;
                /** @description Experiments to search (repeatable); default: every active experiment. */
                experiment_id?: string[];
                limit?: number;
                /** @description The workflow's model class (param task.model.class), e.g. LGBModel. */
                model_class?: string | null;
                order?: "asc" | "desc";
                /** @description ``next_page_token`` of the previous page (same filters). */
                page_token?: string | null;
                /** @description Runs started on or after this day (UTC). */
                since?: string | null;
                /** @description ``start_time``, ``run_name``, ``metrics.<name>`` or ``params.<name>``. */
                sort?: string;
                status?: ("RUNNING" | "FINISHED" | "FAILED" | "KILLED" | "SCHEDULED") | null;
                /** @description ``key=value`` (repeatable; all must hold): runs whose tag ``key`` is exactly ``value``. */
                tag?: string[];
                /** @description Runs started on or before this day (UTC). */
                until?: string | null;
                /** @description The platform user who ran it. */
                user?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunPage"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    experiments_get_run: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An MLflow run id: 32 lower-case hex digits. */
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    experiments_get_series: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An MLflow run id: 32 lower-case hex digits. */
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSeries"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_list_sets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorSetRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_create_set: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FactorSetCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorSetRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_get_set: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                set_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorSetRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_list_factors: {
        parameters: {
            query?: {
                archived?: boolean;
                /** @description Part of the name, any case. */
                q?: string | null;
                sort?: "name" | "created" | "rank_ic" | "ic" | "rank_icir" | "decay" | "turnover";
                tag?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_create_factor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FactorCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_get_factor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                factor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_archive_factor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                factor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_evaluate_factor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                factor_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluateRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_list_evaluations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                factor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvaluationRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_add_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                factor_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FactorVersionCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_check_expression: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExpressionBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExpressionCheck"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    factors_get_evaluation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                evaluation_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvaluationDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_list_policies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_create_policy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_get_policy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_update_policy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_list_models: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_register_model: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModelCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_get_model: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registered model's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_set_alias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description champion, challenger, any name (not latest, v<N>). */
                alias: string;
                /** @description The registered model's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AliasSet"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Promotion"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_remove_alias: {
        parameters: {
            query?: {
                /** @description Why (required for an alias a policy guards). */
                reason?: string | null;
            };
            header?: never;
            path: {
                /** @description champion, challenger, any name (not latest, v<N>). */
                alias: string;
                /** @description The registered model's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AliasRemoved"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_model_history: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registered model's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_register_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registered model's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VersionCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_get_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registered model's name. */
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    models_edit_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registered model's name. */
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotesUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDetail"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unreachable */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jobs_list_jobs: {
        parameters: {
            query?: {
                /** @description Jobs on this dataset version: its lineage (the runs trained on it) or, for market and ingest jobs, the job that made it. */
                dataset_id?: number | null;
                /** @description Workflow jobs that trained on this factor set version. */
                factor_set_id?: number | null;
                kind?: string | null;
                limit?: number;
                mine?: boolean;
                offset?: number;
                /** @description Part of the job's name, any case. */
                q?: string | null;
                /** @description Any of these states; repeat it: ?state=queued&state=running */
                state?: ("queued" | "running" | "succeeded" | "failed" | "cancelled")[] | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the matching jobs, newest first */
            200: {
                headers: {
                    /** @description How many jobs match the filters, on every page */
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jobs_submit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrainRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description The body cannot be read (not UTF-8 text) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jobs_get_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetail"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jobs_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jobs_get_logs: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                job_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogPage"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    workers_list_workers: {
        parameters: {
            query?: {
                within_s?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerRead"][];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused: the request does not match its schema, or its content is not acceptable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    system_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    system_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Status"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed for this role or token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
