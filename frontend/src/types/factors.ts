// The shapes of a factor evaluation's `summary` (trainers/factor_job.py summarise(), the names filled in by the API)
// and `result` (trainers/factors/evaluate.py evaluate_factor(), its `stats` from trainers/factors/stats.py
// compute_stats()): the API types both as free-form objects, the pages read them through utils/factors.ts.

export type Value = number | null

/** Values per horizon, keyed "1", "5", … (the summary) or "1D", "5D", … (the result's stats). */
export type PerHorizon = Record<string, Value>

export interface RedundancyMatch {
  factor_key: string
  /** The library factor's name and id (the API names the f<id> keys). */
  factor?: string | null
  factor_id?: number | null
  /** Mean daily rank correlation with the evaluated factor. */
  corr: Value
  redundant: boolean
  days?: number | null
}

export interface FactorSummary {
  ic: PerHorizon
  rank_ic: PerHorizon
  icir: PerHorizon
  rank_icir: PerHorizon
  t_stat: PerHorizon
  rank_t_stat: PerHorizon
  long_short: PerHorizon
  long_short_t: PerHorizon
  /** Mean Rank IC per horizon, in horizon order. */
  decay: Value[]
  /** Top quantile's mean daily turnover. */
  turnover: Value
  autocorrelation: Value
  coverage: Value
  redundancy: RedundancyMatch[]
  redundant: boolean
}

/** stats.summarize(): a daily series' mean, std, IR, t-statistic, share positive, days counted. */
export interface SeriesSummary {
  mean: Value
  std: Value
  ir: Value
  t: Value
  positive: Value
  n: number
}

export interface EvaluationStats {
  horizons: string[]
  quantiles: number
  ic: Record<string, SeriesSummary>
  rank_ic: Record<string, SeriesSummary>
  ic_decay: Value[]
  quantile_returns: Record<string, { mean: Value[]; mean_demeaned: Value[]; long_short: SeriesSummary }>
  cumulative_horizon: string
  turnover: { mean: Value[]; top: Value; bottom: Value }
  rank_autocorrelation: SeriesSummary
  coverage: { overall: Value; clean: Value; days_with_quantiles: number }
  days: {
    dates: string[]
    ic: Record<string, Value[]>
    rank_ic: Record<string, Value[]>
    /** One list per quantile (bottom first): the demeaned daily quantile means compounded. */
    cumulative: Value[][]
    turnover_top: Value[]
    turnover_bottom: Value[]
    rank_autocorrelation: Value[]
    coverage: Value[]
  }
}

export interface EvaluationResult {
  expression: string
  market: string
  start: string
  end: string
  label: Record<string, string>
  rows: number
  stats: EvaluationStats
  redundancy: {
    dataset_hash: string
    threshold: number
    redundant: boolean
    closest: { factor_key: string; mean_rank_corr: Value; redundant: boolean; days?: number | null }[]
    stored: boolean
  } | null
  timings?: Record<string, number>
}
