// The experiments API as the runs, run and compare pages use it: typed calls, the runs list's filters <-> URL
// query, and the paged list (a stack of page tokens, stale answers dropped).
import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { api, ApiError, errorMessage, type Schemas, unwrap } from '@/api/client'
import type { operations } from '@/api/schema'
import { KNOWN_METRICS, metricLabel, type KnownMetric, type LabelWords } from '@/utils/compare'

export type RunRow = Schemas['RunRow']
export type RunPage = Schemas['RunPage']
export type RunDetail = Schemas['RunDetail']
export type RunSeries = Schemas['RunSeries']
export type SeriesValues = Schemas['SeriesValues']
export type Compare = Schemas['Compare']
export type Experiment = Schemas['ExperimentRead']
export type RunQuery = NonNullable<operations['experiments_list_runs']['parameters']['query']>
export type RunStatus = NonNullable<RunQuery['status']>

/** One run's series as the charts take them (aligned on the chart's dates). */
export interface ChartRun {
  id: string
  name: string
  series: SeriesValues
}

export const RUN_STATUSES: RunStatus[] = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'SCHEDULED']
export const PAGE_SIZES = [50, 100, 500, 1000] as const
export const MAX_COMPARE = 8
export const MIN_COMPARE = 2
const RUN_ID = /^[0-9a-f]{32}$/

// ---------------------------------------------------------------- calls

export function listExperiments(): Promise<Experiment[]> {
  return unwrap(api.GET('/api/experiments'))
}

export function listRuns(query: RunQuery): Promise<RunPage> {
  return unwrap(api.GET('/api/experiments/runs', { params: { query } }))
}

export function getRun(runId: string): Promise<RunDetail> {
  return unwrap(api.GET('/api/experiments/runs/{run_id}', { params: { path: { run_id: runId } } }))
}

/** A run's daily series, or null when it exported none (the API answers 404 then). */
export async function getSeries(runId: string): Promise<RunSeries | null> {
  try {
    return await unwrap(api.GET('/api/experiments/runs/{run_id}/series', { params: { path: { run_id: runId } } }))
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null
    throw e
  }
}

export function compareRuns(runIds: string[]): Promise<Compare> {
  return unwrap(api.GET('/api/experiments/compare', { params: { query: { run_ids: runIds } } }))
}

/** Run ids from "?runs=a,b" (also repeated runs=): well-formed, distinct, in order. */
export function parseRunIds(raw: LocationQuery[string] | undefined): string[] {
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
  const out: string[] = []
  for (const v of items.map((s) => s.trim().toLowerCase())) if (RUN_ID.test(v) && !out.includes(v)) out.push(v)
  return out
}

// ---------------------------------------------------------------- filters <-> URL

export interface RunFilterState {
  experimentIds: string[]
  datasetId: number | null
  modelClass: string
  user: string
  tags: string[]
  since: string
  until: string
  status: RunStatus | ''
}

export interface RunView {
  filters: RunFilterState
  sort: string
  order: 'asc' | 'desc'
  limit: number
}

export function emptyFilters(): RunFilterState {
  return { experimentIds: [], datasetId: null, modelClass: '', user: '', tags: [], since: '', until: '', status: '' }
}

export const DEFAULT_SORT = 'start_time'

function list(v: LocationQuery[string] | undefined): string[] {
  return (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s !== '')
}

function one(v: LocationQuery[string] | undefined): string {
  return list(v)[0] ?? ''
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The view a URL query describes (unknown or malformed values fall back to the defaults). */
export function viewFromQuery(q: LocationQuery): RunView {
  const ds = Number(one(q.dataset_id))
  const status = one(q.status) as RunStatus
  const limit = Number(one(q.limit))
  const order = one(q.order)
  const sort = one(q.sort)
  return {
    filters: {
      experimentIds: list(q.experiment_id),
      datasetId: Number.isInteger(ds) && ds > 0 ? ds : null,
      modelClass: one(q.model_class),
      user: one(q.user),
      tags: list(q.tag).filter((t) => t.includes('=')),
      since: DAY.test(one(q.since)) ? one(q.since) : '',
      until: DAY.test(one(q.until)) ? one(q.until) : '',
      status: RUN_STATUSES.includes(status) ? status : '',
    },
    sort: /^(start_time|run_name|(metrics|params)\..+)$/.test(sort) ? sort : DEFAULT_SORT,
    order: order === 'asc' ? 'asc' : 'desc',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : PAGE_SIZES[0],
  }
}

/** The URL query of a view (defaults left out, so a plain /experiments stays plain). */
export function queryFromView(v: RunView): LocationQueryRaw {
  const f = v.filters
  const q: LocationQueryRaw = {}
  if (f.experimentIds.length) q.experiment_id = [...f.experimentIds]
  if (f.datasetId !== null) q.dataset_id = String(f.datasetId)
  if (f.modelClass.trim()) q.model_class = f.modelClass.trim()
  if (f.user.trim()) q.user = f.user.trim()
  if (f.tags.length) q.tag = [...f.tags]
  if (f.since) q.since = f.since
  if (f.until) q.until = f.until
  if (f.status) q.status = f.status
  if (v.sort !== DEFAULT_SORT) q.sort = v.sort
  if (v.order !== 'desc') q.order = v.order
  if (v.limit !== PAGE_SIZES[0]) q.limit = String(v.limit)
  return q
}

/** The API query of a view and a page token. */
export function apiQuery(v: RunView, pageToken: string | null): RunQuery {
  const f = v.filters
  const q: RunQuery = { sort: v.sort, order: v.order, limit: v.limit }
  if (f.experimentIds.length) q.experiment_id = [...f.experimentIds]
  if (f.datasetId !== null) q.dataset_id = f.datasetId
  if (f.modelClass.trim()) q.model_class = f.modelClass.trim()
  if (f.user.trim()) q.user = f.user.trim()
  if (f.tags.length) q.tag = [...f.tags]
  if (f.since) q.since = f.since
  if (f.until) q.until = f.until
  if (f.status) q.status = f.status
  if (pageToken) q.page_token = pageToken
  return q
}

// ---------------------------------------------------------------- the paged list

/** One page of runs at a time: `load` the first page of a view, then `next`/`prev` along the tokens. */
export function useRunList() {
  const page = shallowRef<RunPage | null>(null)
  const loading = ref(false)
  const error = ref('')
  /** tokens[i] fetched page i (null: the first page). */
  const tokens = ref<(string | null)[]>([null])
  let view: RunView | null = null
  let seq = 0

  async function fetchPage(token: string | null): Promise<boolean> {
    if (!view) return false
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const data = await listRuns(apiQuery(view, token))
      if (mine !== seq) return false
      page.value = data
      return true
    } catch (e) {
      if (mine !== seq) return false
      error.value = errorMessage(e)
      return false
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** The first page of a view (filters, sort, page size). */
  async function load(v: RunView): Promise<void> {
    view = v
    tokens.value = [null]
    await fetchPage(null)
  }

  /** The current page again (the refresh button). */
  async function refresh(): Promise<void> {
    await fetchPage(tokens.value[tokens.value.length - 1] ?? null)
  }

  async function next(): Promise<void> {
    const token = page.value?.next_page_token
    if (!token || loading.value) return
    if (await fetchPage(token)) tokens.value = [...tokens.value, token]
  }

  async function prev(): Promise<void> {
    if (tokens.value.length < 2 || loading.value) return
    const back = tokens.value.slice(0, -1)
    if (await fetchPage(back[back.length - 1] ?? null)) tokens.value = back
  }

  const pageIndex = computed(() => tokens.value.length - 1)
  const hasNext = computed(() => Boolean(page.value?.next_page_token))
  const hasPrev = computed(() => tokens.value.length > 1)
  const rows = computed<RunRow[]>(() => page.value?.runs ?? [])
  const metricKeys = computed<string[]>(() => page.value?.metric_keys ?? [])

  return { page, rows, metricKeys, loading, error, pageIndex, hasNext, hasPrev, load, refresh, next, prev }
}

// ---------------------------------------------------------------- metric labels

/** Short metric labels in the reader's language: label(key) → "Ann. return (w/ cost)" / "年化收益 (含费)". */
export function useMetricLabels(): (key: string) => string {
  const { t, locale } = useI18n()
  const words = computed<LabelWords>(() => {
    void locale.value
    const names = {} as Record<KnownMetric, string>
    for (const k of KNOWN_METRICS) names[k] = t(`experiments.metric.names.${k}`)
    return { names, withCost: t('experiments.metric.withCost'), withoutCost: t('experiments.metric.withoutCost') }
  })
  return (key: string) => metricLabel(key, words.value)
}
