"""What may pass the door: an allowlist of MLflow endpoints with the role each needs; everything else is refused.

Paths are relative to the MLflow prefix (``/mlflow``). Reads need viewer, writes researcher, deletes admin. The
registry's changes that the platform's gate and history must see — aliases, stage transitions, renames and deletes of
models and versions — are refused for everyone: they go through ``/api/models``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VIEWER, RESEARCHER, ADMIN = "viewer", "researcher", "admin"
API = r"(?:ajax-)?api/2\.0/mlflow"
API3 = r"(?:ajax-)?api/3\.0/mlflow"
ARTIFACTS = r"(?:ajax-)?api/2\.0/mlflow-artifacts/artifacts"


@dataclass(frozen=True)
class Rule:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    role: str
    kind: str = "plain"  # plain | json (body inspected) | graphql | artifact (streamed, remapped) | server_info
    refused: str | None = None  # known, and refused for every role: why (a 403 that says where to go instead)


def _r(methods: str, pattern: str, role: str, kind: str = "plain", refused: str | None = None) -> Rule:
    return Rule(frozenset(methods.split()), re.compile(pattern + r"\Z"), role, kind, refused)


#: Why the door refuses the registry's guarded changes.
THROUGH_THE_GATE = ("aliases, stage transitions, renames and deletes of registered models and versions go through the "
                    "platform's registry (/api/models), where promotion policies and the history see them")


RULES: tuple[Rule, ...] = (
    # --- the UI and its static files
    _r("GET HEAD", r"", VIEWER),
    _r("GET HEAD", r"static-files/[A-Za-z0-9_./-]+", VIEWER),
    _r("GET", r"(?:health|version)", VIEWER),
    _r("GET", r"(?:ajax-api|api)/3\.0/mlflow/server-info", VIEWER, "server_info"),
    _r("POST", r"graphql", VIEWER, "graphql"),
    _r("GET", r"(?:get-artifact|model-versions/get-artifact)", VIEWER),
    # --- experiments
    _r("GET", API + r"/experiments/(?:get|get-by-name|search)", VIEWER),
    _r("POST", API + r"/experiments/search", VIEWER, "json"),
    _r("POST", API + r"/experiments/(?:create|update|set-experiment-tag)", RESEARCHER, "json"),
    _r("POST", API + r"/experiments/(?:delete|restore|delete-tag)", ADMIN, "json"),
    # --- runs and metrics
    _r("GET", API + r"/runs/get", VIEWER),
    _r("POST", API + r"/runs/search", VIEWER, "json"),
    _r("GET", API + r"/metrics/(?:get-history|get-history-bulk|get-history-bulk-interval)", VIEWER),
    _r("POST", API + r"/runs/(?:create|update|log-metric|log-parameter|log-batch|log-model|log-inputs|"
       r"log-outputs|set-tag|delete-tag)", RESEARCHER, "json"),
    _r("POST", API + r"/runs/(?:delete|restore)", ADMIN, "json"),
    _r("GET", API + r"/artifacts/list", VIEWER),
    # --- datasets / logged models (MLflow 3)
    _r("POST", API + r"/(?:runs/search-datasets|logged-models/search)", VIEWER, "json"),
    _r("GET", API + r"/logged-models/[A-Za-z0-9_-]+(?:/artifacts/directories)?", VIEWER),
    _r("POST", API + r"/logged-models(?:/[A-Za-z0-9_-]+(?:/params|/tags)?)?", RESEARCHER, "json"),
    _r("PATCH", API + r"/logged-models/[A-Za-z0-9_-]+(?:/tags)?", RESEARCHER, "json"),
    _r("DELETE", API + r"/logged-models/[A-Za-z0-9_-]+(?:/tags/[^/]+)?", ADMIN),
    _r("GET", API3 + r"/logged-models/[A-Za-z0-9_-]+", VIEWER),
    # --- model registry
    _r("GET", API + r"/registered-models/(?:get|search|alias)", VIEWER),
    _r("POST", API + r"/registered-models/get-latest-versions", VIEWER, "json"),
    _r("GET", API + r"/model-versions/(?:get|search|get-download-uri)", VIEWER),
    _r("POST", API + r"/registered-models/(?:create|set-tag)", RESEARCHER, "json"),
    _r("PATCH", API + r"/registered-models/update", RESEARCHER, "json"),
    _r("POST", API + r"/model-versions/(?:create|set-tag)", RESEARCHER, "json"),
    _r("PATCH", API + r"/model-versions/update", RESEARCHER, "json"),
    _r("DELETE", API + r"/(?:registered-models|model-versions)/delete-tag", ADMIN, "json"),
    # the gate's and the history's: through /api/models only, for every role
    _r("POST", API + r"/registered-models/(?:rename|alias)", RESEARCHER, "json", THROUGH_THE_GATE),
    _r("POST", API + r"/model-versions/transition-stage", RESEARCHER, "json", THROUGH_THE_GATE),
    _r("DELETE", API + r"/(?:registered-models|model-versions)/(?:delete|alias)", ADMIN, "json", THROUGH_THE_GATE),
    # --- proxied artifacts (streamed; mapped onto the unprefixed routes, which stream in MLflow too)
    _r("GET", ARTIFACTS, VIEWER),  # listing: only the prefixed route serves it
    _r("GET HEAD", ARTIFACTS + r"/[^;]+", VIEWER, "artifact"),
    _r("PUT", ARTIFACTS + r"/[^;]+", RESEARCHER, "artifact"),
    _r("DELETE", ARTIFACTS + r"/[^;]+", ADMIN, "artifact"),
)


def match(method: str, path: str) -> Rule | None:
    """The rule for a request, or None: not exposed (a 404 from the door; MLflow never sees it)."""
    for rule in RULES:
        if method in rule.methods and rule.pattern.match(path):
            return rule
    return None


# ----- inputs the door refuses before MLflow sees them ------------------------------------------------------
_TRAVERSAL = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)|%2e|%5c|%2f|%25|%00|\\|;|\x00", re.IGNORECASE)
SAFE_SOURCE = re.compile(r"^(?:runs:/[0-9a-f]{32}(?:/[A-Za-z0-9_.\-/]*)?|models:/[A-Za-z0-9_.\-@/]+|"
                         r"mlflow-artifacts:/[A-Za-z0-9_.\-/]+)$")
MAX_LOCATION = 2048


def path_problem(raw_path: str) -> str | None:
    """Why a raw (still percent-encoded) request path is refused, or None."""
    if _TRAVERSAL.search(raw_path):
        return "path traversal, encoded separators and ';' parameters are not allowed"
    return None


def value_problem(name: str, value: str) -> str | None:
    """Why a path-like query value is refused (after one decoding), or None."""
    if ".." in value.replace("\\", "/").split("/") or "\\" in value or "\x00" in value:
        return f"{name} must not contain '..', backslashes or NUL"
    if "%" in value:
        return f"{name} must not be percent-encoded twice"
    if value.startswith("/"):
        return f"{name} must be relative"
    return None


def source_problem(source: object) -> str | None:
    """A model version's source must point into MLflow's own store, never at a path or another bucket."""
    if not isinstance(source, str) or not SAFE_SOURCE.match(source) or ".." in source.split("/"):
        return "source must be a runs:/, models:/ or mlflow-artifacts:/ URI without '..'"
    return None


def artifact_location_problem(location: object) -> str | None:
    """Experiments get the server's own artifact location: a client may not choose one."""
    if location in (None, ""):
        return None
    if not isinstance(location, str) or len(location) > MAX_LOCATION:
        return f"artifact_location must be at most {MAX_LOCATION} characters"
    return "artifact_location is chosen by the server; leave it empty"


def graphql_problem(body: object, max_query: int = 20_000, max_depth: int = 12) -> str | None:
    """One read-only, bounded query: no batches, no mutations, no deep nesting."""
    if not isinstance(body, dict):
        return "GraphQL batches are not allowed"
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        return "a GraphQL query is required"
    if len(query) > max_query:
        return "GraphQL query too long"
    if re.search(r"\b(?:mutation|subscription)\b", query):
        return "only GraphQL queries are allowed"
    depth = peak = 0
    for ch in query:
        if ch == "{":
            depth += 1
            peak = max(peak, depth)
        elif ch == "}":
            depth -= 1
    if peak > max_depth:
        return f"GraphQL query nested deeper than {max_depth}"
    return None
