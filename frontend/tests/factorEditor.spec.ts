// FactorEditor against a stubbed fetch: the expression is checked once per pause in typing (250 ms after the last
// key), an error is marked at its position with what was expected, a look-ahead keeps Save disabled, a valid
// expression shows its look-back and saves as a new factor, and the API's refusal stays in the dialog.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'

type Handler = (req: Request) => Response | Promise<Response>
// openapi-fetch keeps the fetch it finds when the client module loads: stub it before any import runs.
const net = vi.hoisted(() => {
  const state: { handler: Handler | null; requests: { url: string; body: string }[] } = { handler: null, requests: [] }
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    state.requests.push({ url: req.url, body: await req.clone().text() })
    if (!state.handler) throw new Error('no handler')
    return state.handler(req)
  }
  globalThis.fetch = fake as typeof fetch
  return state
})

const { i18n } = await import('@/i18n')
const { default: FactorEditor } = await import('@/components/factors/FactorEditor.vue')
const { usePrefs } = await import('@/stores/prefs')

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function check(expression: string): unknown {
  if (expression === 'Ref($close, 5') return { valid: false, error: { message: "at 13: expected ')' but found the end of the expression", position: 13, expected: ["')'"] } }
  if (expression === 'Ref($close, -1)')
    return { valid: true, info: { canonical: expression, fields: ['close'], operators: ['Ref'], lookback: 0, lookahead: ['Ref($close, -1) reads 1 day ahead'] } }
  return { valid: true, info: { canonical: expression, fields: ['close'], operators: ['Mean'], lookback: expression.includes(', 0)') ? null : 4, lookahead: [] } }
}

const checks = () => net.requests.filter((r) => r.url.endsWith('/api/factors/check'))
let wrapper: VueWrapper | undefined

async function open(): Promise<VueWrapper> {
  wrapper = mount(FactorEditor, { attachTo: document.body, props: { modelValue: true }, global: { plugins: [i18n] } })
  await flushPromises()
  return wrapper
}

const q = (t: string) => document.querySelector(`[data-testid="${t}"]`)

async function type(text: string): Promise<void> {
  const box = document.querySelector('textarea[data-testid="factor-expression"], [data-testid="factor-expression"] textarea') as HTMLTextAreaElement
  box.value = text
  box.dispatchEvent(new Event('input'))
  await nextTick()
}

async function settle(): Promise<void> {
  await sleep(320)
  await flushPromises()
  await nextTick()
}

beforeEach(async () => {
  setActivePinia(createPinia())
  usePrefs().locale = 'en'
  await flushPromises()
  net.requests.length = 0
  net.handler = async (req) => {
    const url = new URL(req.url)
    if (url.pathname === '/api/factors/check') return json(check(((await req.json()) as { expression: string }).expression))
    if (url.pathname === '/api/factors' && req.method === 'POST') {
      const body = (await req.json()) as { name: string }
      if (body.name === 'taken') return json({ title: 'Conflict', status: 409, detail: "a factor named 'taken' exists: add a version to it" }, 409)
      return json({ id: 7, name: body.name, latest_version: 1 }, 201)
    }
    return json({ title: 'not found', status: 404 }, 404)
  }
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

describe('FactorEditor', () => {
  it('checks once per pause in typing', async () => {
    await open()
    await type('R')
    await type('Ref(')
    await type('Ref($close, 5')
    await sleep(100)
    expect(checks()).toHaveLength(0)
    await settle()
    expect(checks().map((r) => JSON.parse(r.body).expression)).toEqual(['Ref($close, 5'])
  })

  it('marks the error at its position and what was expected; Save stays disabled', async () => {
    await open()
    await type('Ref($close, 5')
    await settle()
    expect(q('expr-state')?.getAttribute('data-state')).toBe('invalid')
    expect(q('expr-error')?.getAttribute('data-position')).toBe('13')
    expect(q('expr-error-where')?.textContent).toBe('line 1, column 14')
    expect(q('expr-error-message')?.textContent).toBe("expected ')' but found the end of the expression")
    expect(q('expr-error-marker')?.textContent?.split('\n')[1]).toBe(`${' '.repeat(13)}^`)
    expect(q('expr-expected')?.textContent).toBe("Expected: ')'")
    expect((q('editor-save') as HTMLButtonElement).disabled).toBe(true)
  })

  it('refuses a look-ahead in red', async () => {
    await open()
    await type('Ref($close, -1)')
    await settle()
    expect(q('expr-state')?.getAttribute('data-state')).toBe('lookahead')
    expect(q('expr-lookahead')?.textContent).toContain('reads 1 day ahead')
    expect((q('editor-save') as HTMLButtonElement).disabled).toBe(true)
  })

  it('shows the look-back of a valid expression ("all history" for a whole-history window) and saves it', async () => {
    const w = await open()
    await type('Sum($close, 0)')
    await settle()
    expect(q('expr-lookback')?.textContent).toBe('all history')
    await type('Mean($close, 5) / $close - 1')
    await settle()
    expect(q('expr-lookback')?.textContent).toBe('4 trading days')
    expect((q('editor-save') as HTMLButtonElement).disabled).toBe(true) // no name yet
    const name = document.querySelector('input[data-testid="factor-name"], [data-testid="factor-name"] input') as HTMLInputElement
    name.value = 'mean_rev'
    name.dispatchEvent(new Event('input'))
    await nextTick()
    expect((q('editor-save') as HTMLButtonElement).disabled).toBe(false)
    ;(q('editor-save') as HTMLButtonElement).click()
    await flushPromises()
    const [post] = net.requests.filter((r) => r.url.endsWith('/api/factors'))
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ name: 'mean_rev', expression: 'Mean($close, 5) / $close - 1', description: '', tags: [] })
    expect(w.emitted('saved')?.[0]?.[0]).toMatchObject({ id: 7, name: 'mean_rev' })
  })

  it('keeps the API’s refusal in the dialog', async () => {
    const w = await open()
    await type('Mean($close, 5) / $close - 1')
    await settle()
    const name = document.querySelector('input[data-testid="factor-name"], [data-testid="factor-name"] input') as HTMLInputElement
    name.value = 'taken'
    name.dispatchEvent(new Event('input'))
    await nextTick()
    ;(q('editor-save') as HTMLButtonElement).click()
    await flushPromises()
    expect(q('editor-save-error')?.textContent).toContain("a factor named 'taken' exists")
    expect(w.emitted('saved')).toBeUndefined()
  })
})
