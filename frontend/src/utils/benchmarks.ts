// The leaderboard's arithmetic in the page: a cell's "mean ± std", which way each column is better and its best
// entries, sorting entries by a column's mean, and the five-number summaries of the box plot from the runs' metrics.
import type { Schemas } from '@/api/client'

export type Benchmark = Schemas['BenchmarkRead']
export type BenchmarkDetail = Schemas['BenchmarkDetail']
export type BenchmarkEntry = Schemas['BenchmarkEntry']
export type BenchmarkRun = Schemas['BenchmarkRun']
export type Spread = Schemas['Spread']

export type SortOrder = 'asc' | 'desc'

/** The columns of the runs table besides config, seed and state (MLflow metric names). */
export const RUN_METRICS = {
  ic: 'IC',
  rankIc: 'Rank IC',
  excess: '1day.excess_return_with_cost.annualized_return',
} as const

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/** A leaderboard cell: "0.0448 ± 0.0012" (4 decimals), the mean alone below two runs, "—" without one. */
export function cellText(s: Spread | null | undefined, digits = 4): string {
  if (!s || !finite(s.mean)) return '—'
  return finite(s.std) ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits)
}

/** A cell in two parts, the mean and "± std" (null below two runs): shown on two lines, read as cellText. */
export function cellParts(s: Spread | null | undefined, digits = 4): { mean: string; std: string | null } {
  if (!s || !finite(s.mean)) return { mean: '—', std: null }
  return { mean: s.mean.toFixed(digits), std: finite(s.std) ? `± ${s.std.toFixed(digits)}` : null }
}

/** Max drawdown is best closest to 0 (Qlib reports it as a negative fraction); every other column is best highest. */
export function closestToZeroIsBest(metric: string): boolean {
  return metric.toLowerCase().endsWith('max_drawdown')
}

/** How good a mean is for its column: higher scores better. */
export function score(metric: string, mean: number): number {
  return closestToZeroIsBest(metric) ? -Math.abs(mean) : mean
}

function meanOf(e: BenchmarkEntry, metric: string): number | null {
  const m = e.columns[metric]?.mean
  return finite(m) ? m : null
}

/** Per column, the indexes (BenchmarkEntry.index) of the entries with its best mean: every one that ties for it;
 * none when fewer than two entries have a mean or all their means are equal (nothing to single out). */
export function bestPerColumn(entries: BenchmarkEntry[], metrics: string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const metric of metrics) {
    const have = entries.flatMap((e) => {
      const m = meanOf(e, metric)
      return m === null ? [] : [{ index: e.index, s: score(metric, m) }]
    })
    const scores = have.map((h) => h.s)
    if (have.length < 2 || Math.max(...scores) === Math.min(...scores)) {
      out[metric] = []
      continue
    }
    const top = Math.max(...scores)
    out[metric] = have.filter((h) => h.s === top).map((h) => h.index)
  }
  return out
}

/** The entries by one column's mean (entries without one last, in either order; ties keep the API's order); by the
 * API's order when no column is given. */
export function sortEntries(entries: BenchmarkEntry[], metric: string | null, order: SortOrder = 'desc'): BenchmarkEntry[] {
  const rows = [...entries]
  if (!metric) return rows.sort((a, b) => a.index - b.index)
  const sign = order === 'asc' ? 1 : -1
  return rows.sort((a, b) => {
    const x = meanOf(a, metric)
    const y = meanOf(b, metric)
    if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1
    return x === y ? a.index - b.index : sign * (x - y)
  })
}

/** The q-th quantile (0 ≤ q ≤ 1) of sorted values, linearly interpolated between order statistics (numpy's default,
 * R's type 7). */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q))
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (at - lo)
}

/** [min, Q1, median, Q3, max] of the finite values; null without one. */
export function fiveNumbers(values: number[]): [number, number, number, number, number] | null {
  const xs = values.filter(finite).sort((a, b) => a - b)
  if (!xs.length) return null
  return [xs[0] as number, quantile(xs, 0.25), quantile(xs, 0.5), quantile(xs, 0.75), xs[xs.length - 1] as number]
}

export interface BoxRow {
  name: string
  /** [min, Q1, median, Q3, max], null when no succeeded run has the metric. */
  box: [number, number, number, number, number] | null
  /** Each succeeded run's value with its seed (the dots over the box). */
  points: { seed: number | null; value: number }[]
}

/** One box per config from its succeeded runs' values of a metric. */
export function boxRows(entries: BenchmarkEntry[], metric: string): BoxRow[] {
  return [...entries]
    .sort((a, b) => a.index - b.index)
    .map((e) => {
      const points = e.runs
        .filter((r) => r.state === 'succeeded' && finite(r.metrics[metric]))
        .map((r) => ({ seed: r.seed, value: r.metrics[metric] as number }))
      return { name: e.name, box: fiveNumbers(points.map((p) => p.value)), points }
    })
}

/** How many values the box plot draws. */
export function boxPoints(rows: BoxRow[]): number {
  return rows.reduce((n, r) => n + r.points.length, 0)
}

/** Runs that succeeded of an entry, and all of them. */
export function succeeded(e: BenchmarkEntry): { done: number; total: number } {
  return { done: e.states.succeeded ?? 0, total: e.runs.length }
}

/** Whether jobs of the benchmark may still change (so the page keeps polling and offers Cancel). */
export function isActive(b: Pick<Benchmark, 'state'> | null | undefined): boolean {
  return b?.state === 'queued' || b?.state === 'running'
}

/** Progress in percent (0–100) of ended jobs. */
export function progress(b: Pick<Benchmark, 'jobs_done' | 'jobs_total'>): number {
  return b.jobs_total > 0 ? Math.round((100 * b.jobs_done) / b.jobs_total) : 0
}
