// RunsPage against a stubbed fetch: metric columns from the API's metric_keys, the sort request a header click
// makes, filters from the URL in the request, and the 8-run limit of the selection.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'

type Handler = (req: Request) => Response | Promise<Response>
// openapi-fetch keeps the fetch it finds when the client module loads: stub it before any import runs.
const net = vi.hoisted(() => {
  const state: { handler: Handler | null; requests: string[] } = { handler: null, requests: [] }
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    state.requests.push(req.url)
    if (!state.handler) throw new Error('no handler')
    return state.handler(req)
  }
  globalThis.fetch = fake as typeof fetch
  return state
})

const { i18n } = await import('@/i18n')
const { default: RunsPage } = await import('@/pages/RunsPage.vue')
const { usePrefs } = await import('@/stores/prefs')

const KEYS = ['IC', 'ICIR', 'Rank IC', '1day.excess_return_with_cost.annualized_return', '1day.excess_return_with_cost.max_drawdown']

function runRow(i: number) {
  const id = i.toString(16).padStart(32, '0')
  return {
    run_id: id,
    run_name: `run-${i}`,
    experiment_id: '1',
    experiment_name: 'demo',
    status: 'FINISHED',
    start_time: '2026-11-30T10:00:00Z',
    end_time: '2026-11-30T10:01:00Z',
    user: 'alice',
    model_class: 'LGBModel',
    dataset_id: 3,
    job_id: 10 + i,
    metrics: { IC: 0.01 * i, ICIR: 0.1 * i, 'Rank IC': 0.02, '1day.excess_return_with_cost.annualized_return': 0.1 - 0.05 * i, '1day.excess_return_with_cost.max_drawdown': -0.08 },
    mlflow_url: `/mlflow/#/experiments/1/runs/${id}`,
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

function serve(n = 10, nextToken: string | null = null): void {
  net.handler = (req) => {
    const url = new URL(req.url)
    if (url.pathname === '/api/experiments') return json([{ experiment_id: '1', name: 'demo', lifecycle_stage: 'active', creation_time: null, last_update_time: null, tags: {} }])
    if (url.pathname === '/api/experiments/runs') return json({ runs: Array.from({ length: n }, (_, i) => runRow(i + 1)), next_page_token: nextToken, metric_keys: KEYS })
    return json({ title: 'not found', status: 404 }, 404)
  }
}

function runRequests(): URL[] {
  return net.requests.map((u) => new URL(u)).filter((u) => u.pathname === '/api/experiments/runs')
}

let router: Router
let wrapper: VueWrapper | undefined

async function mountAt(path: string): Promise<VueWrapper> {
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/experiments', component: RunsPage },
      { path: '/experiments/compare', component: { render: () => null } },
      { path: '/experiments/runs/:runId', component: { render: () => null } },
      { path: '/datasets/:id', component: { render: () => null } },
    ],
  })
  await router.push(path)
  await router.isReady()
  wrapper = mount(RunsPage, { attachTo: document.body, global: { plugins: [router, i18n] } })
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
  return wrapper
}

beforeEach(async () => {
  setActivePinia(createPinia())
  usePrefs().locale = 'en'
  await flushPromises()
  net.requests.length = 0
  serve()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

describe('RunsPage', () => {
  it('asks for the newest runs first and shows metric columns with short labels and full keys', async () => {
    const w = await mountAt('/experiments')
    const [first] = runRequests()
    expect(first?.searchParams.get('sort')).toBe('start_time')
    expect(first?.searchParams.get('order')).toBe('desc')
    expect(first?.searchParams.get('limit')).toBe('50')

    const heads = w.findAll('[data-testid="metric-column"]')
    expect(heads.map((h) => h.attributes('data-metric'))).toEqual(KEYS)
    expect(heads.map((h) => h.text())).toContain('Ann. return (w/ cost)')
    const text = w.find('[data-testid="runs-table"]').text()
    for (const col of ['Run', 'Experiment', 'Model', 'Dataset', 'User', 'Started', 'Status', 'MLflow']) expect(text).toContain(col)

    const boxes = w.findAll('[data-testid="select-run"]')
    expect(boxes.length).toBe(10)
    expect(boxes[0]?.attributes('data-run-id')).toBe(runRow(1).run_id)
    // values formatted as quants read them, with the sign's colour
    expect(text).toContain('5.00%') // 0.1 - 0.05 * 1
    expect(w.find('.qlp-down').exists()).toBe(true)
    const mlflow = w.find('[data-testid="run-mlflow"]')
    expect(mlflow.attributes('target')).toBe('_blank')
    expect(mlflow.attributes('href')).toContain('/mlflow/')
  })

  it('labels metric columns in Chinese too', async () => {
    usePrefs().locale = 'zh-CN'
    await flushPromises()
    const w = await mountAt('/experiments')
    const heads = w.findAll('[data-testid="metric-column"]').map((h) => h.text())
    expect(heads).toContain('年化收益 (含费)')
    expect(heads).toContain('最大回撤 (含费)')
  })

  it('sorts on the server when a metric header is clicked (best first), and flips on a second click', async () => {
    const w = await mountAt('/experiments')
    await w.find('.el-table-v2__header-cell[data-key="metrics.IC"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query.sort).toBe('metrics.IC')
    let last = runRequests().at(-1)
    expect(last?.searchParams.get('sort')).toBe('metrics.IC')
    expect(last?.searchParams.get('order')).toBe('desc')

    await w.find('.el-table-v2__header-cell[data-key="metrics.IC"]').trigger('click')
    await flushPromises()
    last = runRequests().at(-1)
    expect(last?.searchParams.get('sort')).toBe('metrics.IC')
    expect(last?.searchParams.get('order')).toBe('asc')
    expect(router.currentRoute.value.query.order).toBe('asc')
  })

  it('takes filters, sort and page size from the URL into the request', async () => {
    await mountAt('/experiments?dataset_id=3&model_class=LGBModel&tag=qlp.sweep%3Ds1&since=2026-11-01&until=2026-11-30&sort=metrics.ICIR&order=asc&limit=1000&experiment_id=1')
    const q = runRequests()[0]?.searchParams
    expect(q?.get('dataset_id')).toBe('3')
    expect(q?.get('model_class')).toBe('LGBModel')
    expect(q?.getAll('tag')).toEqual(['qlp.sweep=s1'])
    expect(q?.get('since')).toBe('2026-11-01')
    expect(q?.get('until')).toBe('2026-11-30')
    expect(q?.get('sort')).toBe('metrics.ICIR')
    expect(q?.get('order')).toBe('asc')
    expect(q?.get('limit')).toBe('1000')
    expect(q?.getAll('experiment_id')).toEqual(['1'])
  })

  it('pages with the next_page_token and back', async () => {
    serve(10, 'tok2')
    const w = await mountAt('/experiments')
    await w.find('[data-testid="page-next"]').trigger('click')
    await flushPromises()
    expect(runRequests().at(-1)?.searchParams.get('page_token')).toBe('tok2')
    expect(w.find('[data-testid="page-index"]').text()).toContain('2')
    await w.find('[data-testid="page-prev"]').trigger('click')
    await flushPromises()
    expect(runRequests().at(-1)?.searchParams.get('page_token')).toBeNull()
    expect(w.find('[data-testid="page-index"]').text()).toContain('1')
  })

  it('compares 2 to 8 selected runs and refuses a ninth', async () => {
    const w = await mountAt('/experiments')
    const compare = () => w.find('[data-testid="compare-runs"]')
    const pick = async (i: number) => {
      await w.find(`[data-testid="select-run"][data-run-id="${runRow(i).run_id}"] input`).setValue(true)
      await flushPromises()
    }
    expect(compare().attributes('disabled')).toBeDefined()
    await pick(1)
    expect(compare().attributes('disabled')).toBeDefined() // one run is not a comparison
    for (let i = 2; i <= 8; i++) await pick(i)
    expect(compare().attributes('disabled')).toBeUndefined()
    expect(w.find('[data-testid="selected-count"]').text()).toContain('8')

    await pick(9)
    expect(w.find('[data-testid="selected-count"]').text()).toContain('8')
    expect(document.body.textContent).toContain('At most 8 runs can be compared')
    const ninth = w.find(`[data-testid="select-run"][data-run-id="${runRow(9).run_id}"] input`).element as HTMLInputElement
    expect(ninth.checked).toBe(false)

    await compare().trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/experiments/compare')
    const ids = String(router.currentRoute.value.query.runs).split(',')
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => runRow(i).run_id))
  })
})
