// Pure helpers of the dataset pages: the upload's query (column mapping rows, options), the validation report as
// rows and as a per-symbol chart, what a version stored and changed, and the key metrics of a lineage job.
import type { Schemas } from '@/api/client'
import { bytes } from './format'

type Problem = Schemas['ProblemRead']
type Validation = Schemas['ValidationRead']
type Changes = Schemas['ChangesRead']

/** Our column names a source column may be mapped to (the ingest's fields). */
export const MAP_TARGETS = ['date', 'symbol', 'open', 'high', 'low', 'close', 'volume', 'amount', 'vwap', 'factor', 'change'] as const
export type MapTarget = (typeof MAP_TARGETS)[number]

export interface MapRow {
  source: string
  target: MapTarget | ''
}

/** File endings the ingest reads (by the upload's file name). */
export const UPLOAD_ENDINGS = ['.csv', '.csv.gz', '.parquet', '.pq', '.zip', '.tar', '.tar.gz', '.tgz'] as const

export function acceptedFile(name: string): boolean {
  const n = name.toLowerCase()
  return UPLOAD_ENDINGS.some((e) => n.endsWith(e))
}

export type MapProblem = { kind: 'incomplete'; row: number } | { kind: 'duplicateSource'; source: string } | { kind: 'duplicateTarget'; target: string } | { kind: 'badSource'; row: number }

/** The mapping rows as `map=source:ours` values (blank rows skipped), or what is wrong with them. */
export function mappingParams(rows: MapRow[]): { params: string[]; problems: MapProblem[] } {
  const params: string[] = []
  const problems: MapProblem[] = []
  const sources = new Set<string>()
  const targets = new Set<string>()
  rows.forEach((r, i) => {
    const source = r.source.trim()
    const target = r.target
    if (!source && !target) return
    if (!source || !target) {
      problems.push({ kind: 'incomplete', row: i + 1 })
      return
    }
    if (/[:=]/.test(source)) {
      problems.push({ kind: 'badSource', row: i + 1 })
      return
    }
    if (sources.has(source)) problems.push({ kind: 'duplicateSource', source })
    if (targets.has(target)) problems.push({ kind: 'duplicateTarget', target })
    sources.add(source)
    targets.add(target)
    params.push(`${source}:${target}`)
  })
  return { params, problems }
}

/** Comma/space separated symbols → a list without blanks or repeats. */
export function splitList(text: string): string[] {
  const out: string[] = []
  for (const s of text.split(/[\s,，;]+/)) {
    const v = s.trim()
    if (v && !out.includes(v)) out.push(v)
  }
  return out
}

export interface UploadOptions {
  filename: string
  map: string[]
  benchmarks: string[]
  dateFormat: string
  market: string
  prices: 'adjusted' | 'raw'
  description: string
  append: boolean
}

/** The query string of POST /api/data/datasets/{name}/versions (repeated keys for map and benchmark). */
export function uploadQuery(o: UploadOptions): string {
  const q = new URLSearchParams()
  q.set('filename', o.filename)
  for (const m of o.map) q.append('map', m)
  for (const b of o.benchmarks) q.append('benchmark', b)
  if (o.dateFormat.trim()) q.set('date_format', o.dateFormat.trim())
  if (o.market.trim()) q.set('market', o.market.trim())
  q.set('prices', o.prices)
  if (o.description.trim()) q.set('description', o.description.trim())
  q.set('append', String(o.append))
  return q.toString()
}

/** Bytes as MB with one decimal (the upload's progress: "3.2 / 10.0 MB"). */
export function mb(n: number): string {
  return (n / (1024 * 1024)).toFixed(1)
}

export type Level = 'errors' | 'warnings'
export interface ProblemRow extends Problem {
  level: Level
  key: string
}

/** Errors then warnings as one list of rows. */
export function problemRows(v: Validation | null | undefined): ProblemRow[] {
  if (!v) return []
  const out: ProblemRow[] = []
  for (const level of ['errors', 'warnings'] as const)
    (v[level] ?? []).forEach((p, i) => out.push({ ...p, level, key: `${level}-${i}` }))
  return out
}

export interface ProblemFilter {
  level: Level | ''
  checks: string[]
  symbol: string
}

export function filterProblems(rows: ProblemRow[], f: ProblemFilter): ProblemRow[] {
  const sym = f.symbol.trim().toUpperCase()
  return rows.filter(
    (r) => (!f.level || r.level === f.level) && (!f.checks.length || f.checks.includes(r.check)) && (!sym || (r.symbol ?? '').toUpperCase().includes(sym)),
  )
}

/** The checks that occur, in first-seen order. */
export function checksOf(rows: ProblemRow[]): string[] {
  const out: string[] = []
  for (const r of rows) if (!out.includes(r.check)) out.push(r.check)
  return out
}

/** How many problems past the server's cap, per level. */
export function omittedCount(v: Validation | null | undefined, level?: Level): number {
  return Object.entries(v?.omitted ?? {}).reduce((s, [k, n]) => (!level || k.startsWith(`${level}/`) ? s + n : s), 0)
}

export interface SymbolChart {
  /** Symbols, the one with the most problems last (a horizontal bar chart draws its first category at the bottom). */
  symbols: string[]
  series: { check: string; data: number[] }[]
  /** Symbols with problems left out beyond the top n. */
  more: number
}

/** Problems per symbol and check for a stacked horizontal bar: the top `n` symbols by total count (a problem's count,
 * at least 1), market-wide problems under `marketLabel`. */
export function problemsBySymbol(rows: Problem[], n = 30, marketLabel = '(market)'): SymbolChart {
  const per = new Map<string, Map<string, number>>()
  const checks: string[] = []
  for (const p of rows) {
    const sym = p.symbol || marketLabel
    const c = Math.max(1, p.count || 0)
    if (!checks.includes(p.check)) checks.push(p.check)
    const m = per.get(sym) ?? new Map<string, number>()
    m.set(p.check, (m.get(p.check) ?? 0) + c)
    per.set(sym, m)
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)
  const ranked = [...per.entries()].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]))
  const top = ranked.slice(0, n).reverse()
  return {
    symbols: top.map(([s]) => s),
    series: checks.map((check) => ({ check, data: top.map(([, m]) => m.get(check) ?? 0) })),
    more: Math.max(0, ranked.length - n),
  }
}

/** "15.8 KB stored of 362.0 KB" parts: what the version added to the store and its full size. */
export function storedParts(stored: number | null | undefined, size: number): { stored: string; size: string } | null {
  if (stored === null || stored === undefined) return null
  return { stored: bytes(stored), size: bytes(size) }
}

export type ChangeItem =
  | { kind: 'days'; n: number; from: string }
  | { kind: 'instrumentsAdded' | 'instrumentsRemoved' | 'marketsAdded'; n: number; list: string }
  | { kind: 'files'; appended: number; rewritten: number; unchanged: number; added: number; removed: number }

/** What a version changed against its base, as message items (lists shortened to `max` names). */
export function changeItems(c: Changes | null | undefined, max = 5): ChangeItem[] {
  if (!c) return []
  const list = (xs: string[]) => (xs.length > max ? `${xs.slice(0, max).join(', ')}, …` : xs.join(', '))
  const out: ChangeItem[] = []
  if (c.days_added > 0) out.push({ kind: 'days', n: c.days_added, from: c.first_new_day ?? '' })
  const added = c.instruments_added ?? []
  const removed = c.instruments_removed ?? []
  const markets = c.markets_added ?? []
  if (added.length) out.push({ kind: 'instrumentsAdded', n: added.length, list: list(added) })
  if (removed.length) out.push({ kind: 'instrumentsRemoved', n: removed.length, list: list(removed) })
  if (markets.length) out.push({ kind: 'marketsAdded', n: markets.length, list: list(markets) })
  out.push({ kind: 'files', appended: c.appended, rewritten: c.rewritten, unchanged: c.unchanged, added: c.added, removed: c.removed })
  return out
}

export interface KeyMetric {
  id: 'ic' | 'rankIc' | 'excess'
  match: (key: string) => boolean
}
/** The lineage's columns: IC, Rank IC, annualised excess return with cost (the portfolio key carries the frequency). */
export const KEY_METRICS: KeyMetric[] = [
  { id: 'ic', match: (k) => k === 'IC' },
  { id: 'rankIc', match: (k) => k === 'Rank IC' },
  { id: 'excess', match: (k) => k.endsWith('excess_return_with_cost.annualized_return') },
]

/** A job's metric for a column: its full key (for formatting) and value, or null. */
export function keyMetric(metrics: Record<string, number> | null | undefined, m: KeyMetric): { key: string; value: number } | null {
  const key = Object.keys(metrics ?? {}).find(m.match)
  if (key === undefined) return null
  const value = metrics?.[key]
  return typeof value === 'number' ? { key, value } : null
}

export const FINAL_STATES = ['succeeded', 'failed', 'cancelled']
export function isFinal(state: string | null | undefined): boolean {
  return FINAL_STATES.includes(state ?? '')
}
