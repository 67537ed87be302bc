// Pure helpers of the runs/compare views: short labels of Qlib's metric keys, marking the best of several runs,
// aligning daily series on shared dates and building ECharts line series (nulls kept as gaps).
import { lowerIsBetter } from '@/utils/format'

// ---------------------------------------------------------------- metric labels

/** Qlib's metric names the dashboard has short labels for (the i18n keys under experiments.metric.names). */
export const KNOWN_METRICS = [
  'ic',
  'icir',
  'rank_ic',
  'rank_icir',
  'mean',
  'std',
  'annualized_return',
  'information_ratio',
  'max_drawdown',
  'ffr',
  'pa',
  'pos',
] as const
export type KnownMetric = (typeof KNOWN_METRICS)[number]

export interface MetricKeyParts {
  /** The known metric, or null for a key we have no label for. */
  name: KnownMetric | null
  /** excess_return_with_cost / _without_cost, when the key names one. */
  cost: 'with' | 'without' | null
  /** The backtest frequency prefix ("1day"), when there is one. */
  freq: string | null
  /** What a key without a label is shown as: itself when short, else its last segment. */
  tail: string
}

/** Keys up to this long are shown whole when there is no label for them ("l2.valid"). */
const SHORT = 20

const TOP_LEVEL: Record<string, KnownMetric> = { ic: 'ic', icir: 'icir', 'rank ic': 'rank_ic', 'rank icir': 'rank_icir' }

/** "1day.excess_return_with_cost.annualized_return" → {name: annualized_return, cost: with, freq: 1day}. */
export function parseMetricKey(key: string): MetricKeyParts {
  const lower = key.trim().toLowerCase()
  const top = TOP_LEVEL[lower]
  if (top) return { name: top, cost: null, freq: null, tail: key }
  const parts = key.split('.')
  const last = parts[parts.length - 1] ?? key
  const tail = key.length <= SHORT ? key : last
  let freq: string | null = null
  let cost: 'with' | 'without' | null = null
  for (const p of parts.slice(0, -1)) {
    if (/^\d+(day|min|week|month)$/i.test(p)) freq = p
    else if (/^excess_return_with_cost$/i.test(p)) cost = 'with'
    else if (/^excess_return_without_cost$/i.test(p)) cost = 'without'
  }
  const low = last.toLowerCase()
  const name = (KNOWN_METRICS as readonly string[]).includes(low) && parts.length > 1 ? (low as KnownMetric) : null
  return { name, cost, freq, tail }
}

/** The words a label is made of, in the reader's language. */
export interface LabelWords {
  names: Record<KnownMetric, string>
  withCost: string
  withoutCost: string
}

/** A short column label: "Ann. return (w/ cost)"; the frequency is shown only when it is not daily; a key we do
 * not know is shown whole when short, else as its last segment (the full key goes into a tooltip). */
export function metricLabel(key: string, words: LabelWords): string {
  const p = parseMetricKey(key)
  let label = p.name ? words.names[p.name] : p.tail
  if (p.cost) label += ` (${p.cost === 'with' ? words.withCost : words.withoutCost})`
  if (p.freq && p.freq.toLowerCase() !== '1day') label = `${p.freq} ${label}`
  return label
}

// ---------------------------------------------------------------- best marking

export interface RunMetrics {
  run_id: string
  metrics: Record<string, number | null | undefined>
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/** The runs with the best value of one metric (highest; lowest for *.std): every run that ties for it; none when
 * fewer than two runs have a value or all values are equal (there is nothing to single out). */
export function bestRuns(key: string, runs: RunMetrics[]): string[] {
  const have = runs.filter((r) => finite(r.metrics[key]))
  if (have.length < 2) return []
  const values = have.map((r) => r.metrics[key] as number)
  const low = lowerIsBetter(key)
  const best = low ? Math.min(...values) : Math.max(...values)
  const worst = low ? Math.max(...values) : Math.min(...values)
  if (best === worst) return []
  return have.filter((r) => r.metrics[key] === best).map((r) => r.run_id)
}

/** For each metric, the run ids whose value is marked best. The API's `best` map names one winner per metric:
 * every run with that winner's value is marked with it (ties); a metric the API left out is decided here. */
export function markBest(keys: string[], runs: RunMetrics[], apiBest: Record<string, string> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const key of keys) {
    const local = bestRuns(key, runs)
    const winner = apiBest[key]
    const value = runs.find((r) => r.run_id === winner)?.metrics[key]
    if (winner !== undefined && finite(value) && local.length > 0) {
      out[key] = runs.filter((r) => r.metrics[key] === value).map((r) => r.run_id)
    } else {
      out[key] = local
    }
  }
  return out
}

// ---------------------------------------------------------------- series

export type Point = number | null

/** `values` (on `from` dates) re-laid on `dates`: the value of each date, null where `from` has none. */
export function alignOn(dates: string[], from: string[], values: Point[]): Point[] {
  const at = new Map<string, Point>()
  from.forEach((d, i) => at.set(d, finite(values[i]) ? (values[i] as number) : null))
  return dates.map((d) => at.get(d) ?? null)
}

/** Points that are drawn (finite numbers). */
export function countPoints(values: Point[]): number {
  let n = 0
  for (const v of values) if (finite(v)) n++
  return n
}

export interface Line {
  name: string
  values: Point[]
  color?: string
  /** A faint, thin line (a daily series under its rolling mean). */
  faint?: boolean
  dashed?: boolean
  /** Filled down to zero (one run's drawdown). */
  area?: boolean
  /** Shown in the legend under another line's name (its daily companion). */
  group?: string
}

export interface LineSeries {
  type: 'line'
  name: string
  data: Point[]
  showSymbol: false
  connectNulls: false
  sampling: 'lttb'
  smooth: false
  z: number
  lineStyle: { width: number; opacity: number; type: 'solid' | 'dashed'; color?: string }
  itemStyle?: { color: string }
  areaStyle?: { opacity: number }
  emphasis: { focus: 'none' }
}

/** ECharts line series for the lines (null and non-finite values stay null: a gap, never a zero). */
export function lineSeries(lines: Line[]): LineSeries[] {
  return lines.map((l) => {
    const s: LineSeries = {
      type: 'line',
      name: l.group ?? l.name,
      data: l.values.map((v) => (finite(v) ? v : null)),
      showSymbol: false,
      connectNulls: false,
      sampling: 'lttb',
      smooth: false,
      z: l.faint ? 1 : 2,
      lineStyle: { width: l.faint ? 1 : 1.8, opacity: l.faint ? 0.35 : 1, type: l.dashed ? 'dashed' : 'solid' },
      emphasis: { focus: 'none' },
    }
    if (l.area) s.areaStyle = { opacity: 0.12 }
    if (l.color) {
      s.lineStyle.color = l.color
      s.itemStyle = { color: l.color }
    }
    return s
  })
}

/** The points all lines draw together (what a chart's data-points attribute says). */
export function totalPoints(lines: Line[]): number {
  return lines.reduce((n, l) => n + countPoints(l.values), 0)
}

/** Distinct colours for up to eight runs (the first is Element Plus's primary blue). */
export const RUN_COLORS = ['#409eff', '#e6a23c', '#8e44ad', '#13a8a8', '#d4380d', '#2f54eb', '#7cb305', '#eb2f96']

export function runColor(i: number): string {
  return RUN_COLORS[i % RUN_COLORS.length] ?? '#409eff'
}

/** Run names made unique for a legend ("a", "a (2)") — two runs may share a name. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>()
  return names.map((n) => {
    const base = n || '—'
    const k = (seen.get(base) ?? 0) + 1
    seen.set(base, k)
    return k === 1 ? base : `${base} (${k})`
  })
}

// ---------------------------------------------------------------- which metrics a page leads with

/** The metrics a run's page shows as cards, in this order (those the run has). */
export const KEY_METRICS = [
  'IC',
  'ICIR',
  'Rank IC',
  'Rank ICIR',
  '1day.excess_return_with_cost.annualized_return',
  '1day.excess_return_with_cost.information_ratio',
  '1day.excess_return_with_cost.max_drawdown',
  '1day.excess_return_without_cost.annualized_return',
]

/** Whether a metric's sign carries meaning (coloured up/down): not a spread (std) or a share in [0, 1]. */
export function signed(key: string): boolean {
  const p = parseMetricKey(key)
  return !(p.name === 'std' || p.name === 'ffr' || p.name === 'pos' || key.toLowerCase().includes('turnover'))
}
