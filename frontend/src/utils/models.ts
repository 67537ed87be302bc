// Pure helpers of the model registry pages: aliases in reading order, the key metrics of a version, a model-name
// filter, which policy guards an alias and what it asks for, a gate decision's failed checks, what a history event
// says, and which run may be registered.
import type { Schemas } from '@/api/client'

export type ModelRead = Schemas['ModelRead']
export type ModelDetail = Schemas['ModelDetail']
export type VersionRow = Schemas['VersionRow']
export type VersionDetail = Schemas['VersionDetail']
export type PolicyRead = Schemas['PolicyRead']
export type DecisionRead = Schemas['DecisionRead']
export type EventRead = Schemas['EventRead']
export type Check = Schemas['Check']

export const IC = 'IC'
export const RANK_IC = 'Rank IC'
export const EXCESS = '1day.excess_return_with_cost.annualized_return'
export const IR = '1day.excess_return_with_cost.information_ratio'
export const MAX_DD = '1day.excess_return_with_cost.max_drawdown'
/** The metrics the models list shows; the versions table adds IR and max drawdown. */
export const LIST_METRICS = [IC, RANK_IC, EXCESS] as const
export const VERSION_METRICS = [IC, RANK_IC, EXCESS, IR, MAX_DD] as const

/** The model-name pattern of the API (a name it manages). */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/
/** An alias: MLflow's characters; `latest` and `v<N>` are MLflow's own. */
export const ALIAS = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/

export function validModelName(name: string): boolean {
  return MODEL_NAME.test(name)
}

export type AliasProblem = 'empty' | 'pattern' | 'reserved' | null
export function aliasProblem(alias: string): AliasProblem {
  const a = alias.trim()
  if (!a) return 'empty'
  if (!ALIAS.test(a)) return 'pattern'
  if (a.toLowerCase() === 'latest' || /^v\d+$/i.test(a)) return 'reserved'
  return null
}

const ORDER = ['champion', 'challenger']

/** Aliases of a model as {alias, version}: champion, challenger first, then by name. */
export function aliasList(aliases: Record<string, number>): { alias: string; version: number }[] {
  const rank = (a: string): number => {
    const i = ORDER.indexOf(a)
    return i === -1 ? ORDER.length : i
  }
  return Object.entries(aliases)
    .map(([alias, version]) => ({ alias, version }))
    .sort((a, b) => rank(a.alias) - rank(b.alias) || a.alias.localeCompare(b.alias))
}

/** An alias's tag colour: the champion stands out. */
export function aliasType(alias: string): 'success' | 'warning' | 'info' {
  return alias === 'champion' ? 'success' : alias === 'challenger' ? 'warning' : 'info'
}

/** Models whose name holds the query (case-insensitive), by name. */
export function filterModels<T extends { name: string }>(models: T[], query: string): T[] {
  const q = query.trim().toLowerCase()
  return models.filter((m) => !q || m.name.toLowerCase().includes(q)).sort((a, b) => a.name.localeCompare(b.name))
}

/** The policy guarding `alias` of `model`: the model's own wins over one for every model. */
export function guardingPolicy(policies: PolicyRead[], model: string, alias: string): PolicyRead | null {
  const own = policies.find((p) => p.model_name === model && p.aliases.includes(alias))
  return own ?? policies.find((p) => p.model_name === null && p.aliases.includes(alias)) ?? null
}

/** The policies guarding any alias of the model, each once (its own first). */
export function policiesOfModel(policies: PolicyRead[], model: string, guards: { alias: string; policy: string }[]): PolicyRead[] {
  const names = new Set(guards.map((g) => g.policy))
  return policies
    .filter((p) => names.has(p.name) && (p.model_name === model || p.model_name === null))
    .sort((a, b) => Number(b.model_name !== null) - Number(a.model_name !== null) || a.name.localeCompare(b.name))
}

export type ThresholdKey = keyof Schemas['Thresholds']
export const THRESHOLD_METRIC: Record<ThresholdKey, string> = {
  min_ic: IC,
  min_rank_ic: RANK_IC,
  min_icir: 'ICIR',
  min_rank_icir: 'Rank ICIR',
  min_excess_return: EXCESS,
  min_information_ratio: IR,
  max_drawdown: MAX_DD,
}

/** A policy's bounds in reading order: the metric and the least value it passes (a drawdown's depth d is −d: the
 * metric is negative, so "at least −15%" reads "no deeper than 15%"). */
export function policyBounds(p: Pick<PolicyRead, 'thresholds'>): { key: ThresholdKey; metric: string; bound: number }[] {
  const out: { key: ThresholdKey; metric: string; bound: number }[] = []
  for (const key of Object.keys(THRESHOLD_METRIC) as ThresholdKey[]) {
    const bound = p.thresholds[key]
    if (typeof bound !== 'number') continue
    out.push({ key, metric: THRESHOLD_METRIC[key], bound: key === 'max_drawdown' ? -bound : bound })
  }
  return out
}

/** The metric a beats_champion check compares on (its short name in the policy -> Qlib's name). */
export function beatsMetric(short: string): string {
  const key = (short === 'max_drawdown' ? 'max_drawdown' : `min_${short}`) as ThresholdKey
  return THRESHOLD_METRIC[key] ?? short
}

export function failedChecks(d: Pick<DecisionRead, 'checks'>): Check[] {
  return d.checks.filter((c) => !c.passed)
}

/** The newest decision on `alias` (decisions come newest first; ids break ties). */
export function latestDecision(decisions: DecisionRead[], alias: string): DecisionRead | null {
  let best: DecisionRead | null = null
  for (const d of decisions) if (d.alias === alias && (best === null || d.id > best.id)) best = d
  return best
}

/** Whether the run page may offer "Register model": a finished MLflow run a succeeded platform workflow job made. */
export function registrable(status: string | undefined, job: { kind: string; state: string } | null | undefined): boolean {
  return status === 'FINISHED' && !!job && job.kind === 'workflow' && job.state === 'succeeded'
}

/** The history event's one-line detail (besides who and when): the reason, the failed checks, a move's origin. */
export function eventDetail(e: Pick<EventRead, 'action' | 'details' | 'version'>): string {
  const d = e.details as Record<string, unknown>
  const s = (k: string): string => (typeof d[k] === 'string' ? (d[k] as string) : '')
  switch (e.action) {
    case 'registered':
      return [s('run_id'), s('dataset')].filter(Boolean).join(' · ')
    case 'override':
      return s('reason')
    case 'promotion_refused':
      return [s('failed'), s('note')].filter(Boolean).join(' · ')
    case 'alias_removed':
      return s('reason')
    case 'alias_set': {
      const prev = d.previous_version
      return typeof prev === 'number' ? `v${prev} → v${e.version ?? '?'}` : ''
    }
    case 'notes_edited':
      return s('after').slice(0, 120)
    default:
      return ''
  }
}

/** Runs `fn` over `items`, at most `width` at a time, keeping the order. */
export async function mapLimited<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker))
  return out
}
