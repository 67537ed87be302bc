// Follows a job's log over WebSocket /ws/train/<id>: frames into a LogBuffer, reconnects with backoff from the
// buffer's next seq (so the resumed stream has no gap and no duplicate), and exposes the job's state from
// status/end frames. The WebSocket constructor is injectable (tests use a fake one).
import { computed, getCurrentScope, onScopeDispose, readonly, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import { LogBuffer, type LogLine } from '@/utils/logBuffer'

/** The part of the browser's WebSocket this composable uses. */
export interface SocketLike {
  readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: Event) => unknown) | null
  onmessage: ((ev: MessageEvent) => unknown) | null
  onclose: ((ev: CloseEvent) => unknown) | null
  onerror: ((ev: Event) => unknown) | null
}
export type SocketFactory = new (url: string) => SocketLike

export interface LogStreamOptions {
  /** The WebSocket class (default: the browser's). */
  WebSocketImpl?: SocketFactory
  /** The socket URL (default: ws(s)://<this host>/ws/train/<id>). */
  url?: string
  /** Reconnect delays in ms, the last one repeated (default 500, 1000, 2000, 4000, 5000). */
  backoffMs?: number[]
  /** Start following at once (default true). */
  autoStart?: boolean
}

/** Close codes after which following again cannot help. */
export const FATAL_CLOSE = new Set([4400, 4401, 4403, 4404])
export const CLOSE_TOO_SLOW = 4408
const DEFAULT_BACKOFF = [500, 1000, 2000, 4000, 5000]

type Frame =
  | { type: 'logs'; job_id: number; lines: LogLine[] }
  | { type: 'status'; job_id: number; state: string }
  | { type: 'end'; job_id: number; state: string; next_offset: number }
  | { type: 'ping'; ts: number }

export interface LogStream {
  /** The buffer (not reactive itself: watch `version`). */
  buffer: ShallowRef<LogBuffer>
  /** Bumped whenever the buffer changes. */
  version: Readonly<Ref<number>>
  count: ComputedRef<number>
  next: ComputedRef<number>
  dupes: ComputedRef<number>
  connected: Readonly<Ref<boolean>>
  reconnecting: Readonly<Ref<boolean>>
  reconnects: Readonly<Ref<number>>
  /** The job's state as the socket last said (null until the first status frame). */
  state: Readonly<Ref<string | null>>
  /** The end frame arrived: the job is final and its log complete. */
  ended: Readonly<Ref<boolean>>
  /** Why following stopped for good (a close code the server refused with), or null. */
  closeCode: Readonly<Ref<number | null>>
  start(): void
  stop(): void
  /** Called once when the end frame arrives. */
  onEnd(fn: (state: string) => void): void
}

export function defaultSocketUrl(jobId: number | string): string {
  const loc = globalThis.location
  const proto = loc?.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${loc?.host ?? 'localhost'}/ws/train/${jobId}`
}

function parse(data: unknown): Frame | null {
  if (typeof data !== 'string') return null
  try {
    const v: unknown = JSON.parse(data)
    if (v && typeof v === 'object' && 'type' in v) return v as Frame
  } catch {
    // not JSON: ignored
  }
  return null
}

export function useLogStream(jobId: number | string, opts: LogStreamOptions = {}): LogStream {
  const Impl: SocketFactory | undefined = opts.WebSocketImpl ?? (globalThis.WebSocket as unknown as SocketFactory | undefined)
  const url = opts.url ?? defaultSocketUrl(jobId)
  const backoff = opts.backoffMs?.length ? opts.backoffMs : DEFAULT_BACKOFF

  const buffer = shallowRef(new LogBuffer(0))
  const version = ref(0)
  const connected = ref(false)
  const reconnecting = ref(false)
  const reconnects = ref(0)
  const state = ref<string | null>(null)
  const ended = ref(false)
  const closeCode = ref<number | null>(null)
  const endHandlers: ((state: string) => void)[] = []

  let socket: SocketLike | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let failures = 0
  let stopped = true

  const bump = (): void => {
    version.value = buffer.value.version
  }

  function open(): void {
    if (!Impl || stopped) return
    clearTimeout(timer)
    const ws = new Impl(url)
    socket = ws
    ws.onopen = () => {
      if (socket !== ws) return
      ws.send(JSON.stringify({ type: 'follow', offset: buffer.value.next }))
      connected.value = true
      reconnecting.value = false
    }
    ws.onmessage = (ev) => {
      if (socket !== ws) return
      const f = parse(ev.data)
      if (!f) return
      if (f.type === 'logs') {
        if (Array.isArray(f.lines) && f.lines.length) {
          buffer.value.append(f.lines)
          bump()
        }
        failures = 0 // data flows: the next drop starts the backoff over
      } else if (f.type === 'status') {
        state.value = f.state
      } else if (f.type === 'end') {
        state.value = f.state
        buffer.value.release(f.next_offset)
        bump()
        if (!ended.value) {
          ended.value = true
          for (const fn of endHandlers) fn(f.state)
        }
      }
    }
    ws.onerror = () => {
      // a close event follows (browsers always send one); it decides what happens next
    }
    ws.onclose = (ev) => {
      if (socket !== ws) return
      socket = null
      connected.value = false
      const code = ev.code
      if (stopped || ended.value || code === 1000) {
        reconnecting.value = false
        return
      }
      if (FATAL_CLOSE.has(code)) {
        closeCode.value = code
        reconnecting.value = false
        return
      }
      reconnecting.value = true
      const delay = code === CLOSE_TOO_SLOW ? 0 : (backoff[Math.min(failures, backoff.length - 1)] ?? 5000)
      failures++
      timer = setTimeout(() => {
        reconnects.value++
        open()
      }, delay)
    }
  }

  function start(): void {
    if (!stopped) return
    stopped = false
    open()
  }

  function stop(): void {
    stopped = true
    clearTimeout(timer)
    reconnecting.value = false
    const ws = socket
    socket = null
    connected.value = false
    if (ws && ws.readyState <= 1) ws.close(1000)
  }

  if (opts.autoStart !== false) start()
  if (getCurrentScope()) onScopeDispose(stop)

  return {
    buffer,
    version: readonly(version),
    count: computed(() => (version.value, buffer.value.size)),
    next: computed(() => (version.value, buffer.value.next)),
    dupes: computed(() => (version.value, buffer.value.dupes)),
    connected: readonly(connected),
    reconnecting: readonly(reconnecting),
    reconnects: readonly(reconnects),
    state: readonly(state),
    ended: readonly(ended),
    closeCode: readonly(closeCode),
    start,
    stop,
    onEnd: (fn) => {
      endHandlers.push(fn)
    },
  }
}
