// The typed API client (openapi-fetch over the generated schema): same-origin session cookie, the CSRF header on
// every request, problem details turned into ApiError, and a 401 handed to the auth store (-> login page).
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']
export type Problem = Schemas['Problem']

/** Sent on every request; the API refuses a cookie-authenticated state change without it (CSRF defence). */
export const CSRF_HEADER = 'X-QLP-CSRF'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
  ) {
    super(ApiError.describe(status, problem))
  }

  get code(): string | undefined {
    return this.problem?.code ?? undefined
  }

  static describe(status: number, problem: Partial<Problem> | undefined): string {
    const detail = problem?.detail
    if (typeof detail === 'string' && detail) return detail
    if (Array.isArray(detail) && detail.length) {
      return detail
        .map((d) => {
          const loc = Array.isArray(d.loc) ? d.loc.filter((p: unknown) => p !== 'body').join('.') : ''
          return loc ? `${loc}: ${String(d.msg ?? '')}` : String(d.msg ?? '')
        })
        .join('; ')
    }
    return problem?.title ?? `HTTP ${status}`
  }
}

type Unauthorized = () => void
let onUnauthorized: Unauthorized = () => {}
/** The auth store registers what a 401 does (clear the user, go to the login page and back afterwards). */
export function setUnauthorizedHandler(fn: Unauthorized): void {
  onUnauthorized = fn
}

const QUIET_401 = ['/api/auth/me', '/api/auth/session']

const middleware: Middleware = {
  onRequest({ request }) {
    request.headers.set(CSRF_HEADER, '1')
    return request
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !QUIET_401.some((p) => new URL(request.url).pathname === p)) onUnauthorized()
    return response
  },
}

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '', credentials: 'same-origin' })
api.use(middleware)

/** What to show for a failed call: the problem's detail (an ApiError is an Error), else the thrown value as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** The data of an openapi-fetch result, or an ApiError carrying the problem document. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok || data === undefined) {
    if (response.ok && response.status === 204) return undefined as T
    throw new ApiError(response.status, (error ?? undefined) as Partial<Problem> | undefined)
  }
  return data
}
