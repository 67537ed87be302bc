// Pure helpers of the factor pages: names and tags as the API accepts them, an evaluation's summary and result read
// from the API's free-form objects, values at the first horizon, IC decay, the library's sort order, where an
// expression error is, horizons typed as text, rolling means, the long-short curve and a sparkline's points.
import type { EvaluationResult, FactorSummary, PerHorizon, Value } from '@/types/factors'

/** platform_api/factors/schemas.py FACTOR_NAME and TAG. */
export const FACTOR_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/
export const TAG = /^[a-z0-9][a-z0-9_-]{0,31}$/
export const MAX_TAGS = 16

export function validName(name: string): boolean {
  return FACTOR_NAME.test(name)
}

export function validTag(tag: string): boolean {
  return TAG.test(tag)
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** A horizon key ("5" or "5D") as its number of days. */
export function horizonDays(key: string): number {
  return Number.parseInt(key, 10)
}

/** The keys of a per-horizon map, shortest horizon first. */
export function horizonKeys(per: PerHorizon | Record<string, unknown> | null | undefined): string[] {
  return Object.keys(per ?? {}).sort((a, b) => horizonDays(a) - horizonDays(b))
}

/** The value at the shortest horizon, or null. */
export function atFirst(per: PerHorizon | null | undefined): number | null {
  const k = horizonKeys(per)[0]
  const v = k === undefined ? null : per?.[k]
  return finite(v) ? v : null
}

/** An evaluation's summary, or null while it has none (the job has not finished, or failed). */
export function summaryOf(raw: unknown): FactorSummary | null {
  if (!isObject(raw) || !isObject(raw.rank_ic)) return null
  const per = (k: string): PerHorizon => (isObject(raw[k]) ? (raw[k] as PerHorizon) : {})
  const num = (k: string): Value => (finite(raw[k]) ? (raw[k] as number) : null)
  return {
    ic: per('ic'),
    rank_ic: per('rank_ic'),
    icir: per('icir'),
    rank_icir: per('rank_icir'),
    t_stat: per('t_stat'),
    rank_t_stat: per('rank_t_stat'),
    long_short: per('long_short'),
    long_short_t: per('long_short_t'),
    decay: Array.isArray(raw.decay) ? raw.decay.map((v) => (finite(v) ? v : null)) : [],
    turnover: num('turnover'),
    autocorrelation: num('autocorrelation'),
    coverage: num('coverage'),
    redundancy: Array.isArray(raw.redundancy) ? (raw.redundancy as FactorSummary['redundancy']) : [],
    redundant: raw.redundant === true,
  }
}

/** An evaluation's chart series, or null when it has none. */
export function resultOf(raw: unknown): EvaluationResult | null {
  if (!isObject(raw) || !isObject(raw.stats)) return null
  const days = (raw.stats as Record<string, unknown>).days
  if (!isObject(days) || !Array.isArray(days.dates)) return null
  return raw as unknown as EvaluationResult
}

/** Rank IC at the last horizon over the first (how much of the signal is left), as the API sorts "decay". */
export function decayRatio(decay: Value[]): number | null {
  const first = decay[0]
  const last = decay[decay.length - 1]
  if (decay.length < 2 || !finite(first) || !finite(last) || first === 0) return null
  return last / first
}

export type FactorSort = 'name' | 'created' | 'rank_ic' | 'ic' | 'rank_icir' | 'decay' | 'turnover'
export const FACTOR_SORTS: FactorSort[] = ['name', 'created', 'rank_ic', 'ic', 'rank_icir', 'decay', 'turnover']

/** The value a library row sorts by (the API's order: higher first, turnover lower first), or null. */
export function sortValue(summary: FactorSummary | null, sort: FactorSort): number | null {
  if (!summary) return null
  switch (sort) {
    case 'rank_ic':
      return atFirst(summary.rank_ic)
    case 'ic':
      return atFirst(summary.ic)
    case 'rank_icir':
      return atFirst(summary.rank_icir)
    case 'decay':
      return decayRatio(horizonKeys(summary.rank_ic).map((k) => summary.rank_ic[k] ?? null))
    case 'turnover':
      return finite(summary.turnover) ? -summary.turnover : null
    default:
      return null
  }
}

/** Rows the API answered in its order (best first), turned round for an ascending column: the rows with a value
 * reversed, the rows without one still last. */
export function inOrder<T>(rows: T[], value: (row: T) => number | null, order: 'ascending' | 'descending'): T[] {
  if (order === 'descending') return rows
  const have = rows.filter((r) => value(r) !== null)
  const none = rows.filter((r) => value(r) === null)
  return [...have.reverse(), ...none]
}

/** Every tag of these tag lists, once, sorted. */
export function allTags(lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort()
}

export interface ErrorMarker {
  /** 1-based line and column of the position. */
  line: number
  col: number
  /** The text of that line, split at the position: the character there (empty at the end of the line). */
  before: string
  at: string
  after: string
  /** Spaces up to the column, then "^": the caret line under `before + at + after`. */
  caret: string
}

/** Where a 0-based character offset falls in a (possibly multi-line) expression. */
export function errorMarker(text: string, position: number): ErrorMarker {
  const pos = Math.max(0, Math.min(Math.trunc(position), text.length))
  const start = text.lastIndexOf('\n', pos - 1) + 1
  const endAt = text.indexOf('\n', pos)
  const end = endAt < 0 ? text.length : endAt
  const line = text.slice(0, start).split('\n').length
  const col = pos - start + 1
  const at = pos < end ? text.slice(pos, pos + 1) : ''
  return {
    line,
    col,
    before: text.slice(start, pos),
    at,
    after: pos < end ? text.slice(pos + 1, end) : '',
    caret: `${' '.repeat(col - 1)}^`,
  }
}

export type HorizonProblem = 'empty' | 'range' | 'count' | null
export const MAX_HORIZONS = 6
export const MAX_HORIZON = 120

/** "1, 5,10 20" → [1, 5, 10, 20] (sorted, once each), or why not: nothing given, a value that is not a whole number
 * from 1 to 120, more than six. */
export function parseHorizons(text: string): { horizons: number[]; problem: HorizonProblem } {
  const parts = text.split(/[\s,，;]+/).filter(Boolean)
  if (!parts.length) return { horizons: [], problem: 'empty' }
  const out = new Set<number>()
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return { horizons: [], problem: 'range' }
    const n = Number(p)
    if (n < 1 || n > MAX_HORIZON) return { horizons: [], problem: 'range' }
    out.add(n)
  }
  if (out.size > MAX_HORIZONS) return { horizons: [], problem: 'count' }
  return { horizons: [...out].sort((a, b) => a - b), problem: null }
}

/** The trailing mean over `window` points, of the finite values among them; null until half the window has values
 * (the daily IC's rolling line). */
export function rollingMean(values: Value[], window = 20): Value[] {
  const out: Value[] = []
  let sum = 0
  let n = 0
  const need = Math.max(1, Math.ceil(window / 2))
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (finite(v)) {
      sum += v
      n++
    }
    const old = i >= window ? values[i - window] : null
    if (finite(old)) {
      sum -= old
      n--
    }
    out.push(n >= need ? sum / n : null)
  }
  return out
}

/** The long-short curve from the quantiles' cumulative returns (bottom first): each day's top-quantile return minus the
 * bottom one's (recovered from the compounded curves, a missing day counting as 0), compounded. */
export function longShortCumulative(cumulative: Value[][]): Value[] {
  const bottom = cumulative[0] ?? []
  const top = cumulative[cumulative.length - 1] ?? []
  if (cumulative.length < 2) return []
  const daily = (c: Value[], i: number): number => {
    const now = c[i]
    const before = i === 0 ? 0 : c[i - 1]
    if (!finite(now) || !finite(before) || before === -1) return 0
    return (1 + now) / (1 + before) - 1
  }
  const out: Value[] = []
  let level = 1
  for (let i = 0; i < Math.min(top.length, bottom.length); i++) {
    level *= 1 + daily(top, i) - daily(bottom, i)
    out.push(level - 1)
  }
  return out
}

/** An SVG polyline's points for a small chart of `values` in a width × height box (nulls skipped), and where zero
 * is; null with fewer than two values. The vertical range takes in zero, the values and `bounds` (one range for
 * several sparklines, so that their heights compare). */
export function sparkline(values: Value[], width: number, height: number, pad = 2, bounds: Value[] = []): { points: string; zero: number | null } | null {
  const have = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => finite(p[1]))
  if (have.length < 2) return null
  const ys = [...have.map((p) => p[1]), ...bounds.filter(finite)]
  const lo = Math.min(0, ...ys)
  const hi = Math.max(0, ...ys)
  const span = hi - lo || 1
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0
  const y = (v: number) => pad + (height - 2 * pad) * (1 - (v - lo) / span)
  const points = have.map(([i, v]) => `${(pad + i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
  return { points, zero: lo < 0 && hi > 0 ? Number(y(0).toFixed(1)) : null }
}

/** Series of a daily chart by horizon key ("1D"), given "1"/"1D"/1. */
export function statsKey(h: string | number): string {
  const s = String(h)
  return s.endsWith('D') ? s : `${s}D`
}

/** The parser's message without its leading "at N: " (the page says where, as line and column). */
export function errorText(message: string): string {
  return message.replace(/^at \d+:\s*/, '')
}
