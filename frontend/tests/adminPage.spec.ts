// AdminPage against a stubbed network: a new token's secret is shown once and gone after its dialog closes (and
// never stored), and a 409 last_admin refusal is shown with its reason.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Component } from 'vue'
import { i18n } from '@/i18n'
import zh from '@/i18n/zh-CN'

interface Call {
  method: string
  path: string
  query: string
  body: unknown
}
type Reply = { status: number; body: unknown }
type Route = (call: Call) => Reply | undefined

const calls: Call[] = []
let routes: Route[] = []

function json(status: number, body: unknown): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
}

async function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req = input instanceof Request ? input : new Request(String(input), init)
  const url = new URL(req.url)
  const text = req.method === 'GET' || req.method === 'DELETE' ? '' : await req.text()
  const call: Call = { method: req.method, path: url.pathname, query: url.search, body: text ? JSON.parse(text) : undefined }
  calls.push(call)
  for (const route of routes) {
    const r = route(call)
    if (r) return json(r.status, r.body)
  }
  return json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no stub for ${call.method} ${call.path}`, code: 'not_found', request_id: 'x' })
}

// openapi-fetch takes globalThis.fetch when the client is created: stub it before the page (and the client) load.
vi.stubGlobal('fetch', vi.fn(fakeFetch))
let AdminPage: Component
beforeAll(async () => {
  AdminPage = (await import('@/pages/AdminPage.vue')).default
})

const ADMIN = { id: 1, username: 'admin', role: 'admin', is_active: true, created_at: '2026-01-01T00:00:00Z' }
const RESEARCHER = { id: 2, username: 'alice', role: 'researcher', is_active: true, created_at: '2026-01-02T00:00:00Z' }
const SECRET = 'qlp_pat_7f3a9c2e1b5d4f6a8c0e2b4d6f8a0c2e'
const CREATED = {
  id: 11, name: 'ci', prefix: 'qlp_pat_7f3a', scope: 'read', areas: ['api', 'mlflow'], created_at: '2026-01-03T00:00:00Z',
  expires_at: '2026-04-03T00:00:00Z', last_used_at: null, revoked: false, token: SECRET,
}

function baseRoutes(users: unknown[]): Route[] {
  return [
    (c) => (c.method === 'GET' && c.path === '/api/auth/users' ? { status: 200, body: users } : undefined),
    (c) => (c.method === 'GET' && c.path === '/api/auth/tokens' ? { status: 200, body: [] } : undefined),
  ]
}

let wrapper: VueWrapper | null = null
async function mountPage(): Promise<VueWrapper> {
  wrapper = mount(AdminPage, { attachTo: document.body, global: { plugins: [createPinia(), i18n] } })
  await flushPromises()
  return wrapper
}

function el(testid: string): HTMLElement | null {
  return document.body.querySelector<HTMLElement>(`[data-testid="${testid}"]`)
}
function input(testid: string): HTMLInputElement {
  const e = el(testid)
  const i = e instanceof HTMLInputElement ? e : e?.querySelector('input')
  if (!i) throw new Error(`no input at ${testid}`)
  return i as HTMLInputElement
}
async function click(testid: string): Promise<void> {
  const e = el(testid)
  if (!e) throw new Error(`nothing at ${testid}`)
  e.click()
  await flushPromises()
}

beforeEach(() => {
  calls.length = 0
  localStorage.clear()
  sessionStorage.clear()
  i18n.global.locale.value = 'zh-CN'
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
})

describe('AdminPage', () => {
  it('lists the users and the tokens', async () => {
    routes = baseRoutes([ADMIN, RESEARCHER])
    await mountPage()
    expect(el('users-table')?.textContent).toContain('alice')
    expect(el('tokens-table')).not.toBeNull()
    expect(calls.some((c) => c.path === '/api/auth/tokens' && c.query.includes('all_users=false'))).toBe(true)
  })

  it('shows a new token once, then forgets it when its dialog closes', async () => {
    routes = [
      ...baseRoutes([ADMIN]),
      (c) => (c.method === 'POST' && c.path === '/api/auth/tokens' ? { status: 201, body: CREATED } : undefined),
    ]
    await mountPage()
    expect(el('token-once')).toBeNull()

    await click('create-token')
    const name = input('token-name')
    name.value = 'ci'
    name.dispatchEvent(new Event('input'))
    await flushPromises()
    await click('token-submit')

    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/auth/tokens')
    expect(post?.body).toMatchObject({ name: 'ci', scope: 'read', expires_in_days: 90 })
    expect(el('token-once')).not.toBeNull()
    expect((el('token-once-value') as HTMLTextAreaElement).value).toBe(SECRET)
    expect(el('token-once')?.textContent).toContain(zh.admin.tokens.onceWarning)
    // the row is listed without its secret
    expect(el('tokens-table')?.textContent).toContain('ci')
    expect(el('tokens-table')?.textContent).not.toContain(SECRET)

    await click('token-once-close')
    expect(el('token-once')).toBeNull()
    expect(el('token-once-value')).toBeNull()
    expect(document.body.innerHTML).not.toContain(SECRET)
    // never kept in the browser's storage
    const stored = [...Object.keys(localStorage).map((k) => localStorage.getItem(k)), ...Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k))]
    expect(stored.join('\n')).not.toContain(SECRET)
  })

  it('shows the API refusing to disable the last admin', async () => {
    const detail = "cannot demote or disable 'admin': the platform would have no active admin left; make another user an admin first"
    routes = [
      ...baseRoutes([ADMIN]),
      (c) =>
        c.method === 'PATCH' && c.path === '/api/auth/users/1'
          ? { status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409, detail, code: 'last_admin', request_id: 'r1' } }
          : undefined,
    ]
    await mountPage()
    expect(el('users-refusal')).toBeNull()

    await click('user-active-1')

    const patch = calls.find((c) => c.method === 'PATCH')
    expect(patch?.body).toEqual({ is_active: false })
    const alert = el('users-refusal')
    expect(alert).not.toBeNull()
    expect(alert?.textContent).toContain(zh.admin.users.lastAdmin)
    expect(alert?.textContent).toContain(detail)
    // the switch still shows the user active: nothing changed
    expect(el('user-active-1')?.classList.contains('is-checked')).toBe(true)
  })

  it('shows the API refusing a weak password when creating a user', async () => {
    routes = [
      ...baseRoutes([ADMIN]),
      (c) =>
        c.method === 'POST' && c.path === '/api/auth/users'
          ? { status: 422, body: { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'password is too common', code: 'refused', request_id: 'r2' } }
          : undefined,
    ]
    await mountPage()
    await click('create-user')
    const u = input('user-username')
    u.value = 'bob'
    u.dispatchEvent(new Event('input'))
    const p = input('user-password')
    p.value = 'password123'
    p.dispatchEvent(new Event('input'))
    await flushPromises()
    await click('user-submit')
    expect(el('create-user-error')?.textContent).toContain('password is too common')
  })
})
