// useLogStream over a fake WebSocket (drops mid-stream, reconnects from next: no gap, no duplicate) and LogConsole
// rendering 100,000 lines as a virtual window.
import { mount } from '@vue/test-utils'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick } from 'vue'
import LogConsole from '@/components/LogConsole.vue'
import { useLogStream, type LogStream, type SocketLike } from '@/composables/useLogStream'
import { i18n } from '@/i18n'
import type { LogLine } from '@/utils/logBuffer'

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  static get last(): FakeSocket {
    const s = FakeSocket.all[FakeSocket.all.length - 1]
    if (!s) throw new Error('no socket opened')
    return s
  }
  readyState = 0
  sent: unknown[] = []
  onopen: ((ev: Event) => unknown) | null = null
  onmessage: ((ev: MessageEvent) => unknown) | null = null
  onclose: ((ev: CloseEvent) => unknown) | null = null
  onerror: ((ev: Event) => unknown) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }
  close(code = 1000): void {
    this.shut(code)
  }
  // what the server side does
  open(): void {
    this.readyState = 1
    this.onopen?.(new Event('open'))
  }
  frame(f: unknown): void {
    this.onmessage?.({ data: JSON.stringify(f) } as MessageEvent)
  }
  logs(from: number, to: number): void {
    this.frame({ type: 'logs', job_id: 7, lines: lines(from, to) })
  }
  shut(code: number): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code } as CloseEvent)
  }
}

function lines(from: number, to: number): LogLine[] {
  const out: LogLine[] = []
  for (let s = from; s < to; s++) out.push({ seq: s, ts: '2024-01-01T00:00:00Z', line: `step ${s} loss=${(1 / (s + 1)).toFixed(5)}` })
  return out
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

function follow(backoffMs = [500, 1000, 2000]): { stream: LogStream; stop: () => void } {
  const scope = effectScope()
  const stream = scope.run(() => useLogStream(7, { WebSocketImpl: FakeSocket, url: 'ws://test/ws/train/7', backoffMs }))
  if (!stream) throw new Error('no stream')
  return { stream, stop: () => scope.stop() }
}
const seqs = (s: LogStream) => s.buffer.value.lines.map((l) => l.seq)

afterEach(() => {
  FakeSocket.all = []
  vi.useRealTimers()
})

describe('useLogStream', () => {
  it('follows from offset 0 and takes logs, status and end frames', () => {
    const { stream, stop } = follow()
    const ws = FakeSocket.last
    expect(ws.url).toBe('ws://test/ws/train/7')
    ws.open()
    expect(ws.sent).toEqual([{ type: 'follow', offset: 0 }])
    expect(stream.connected.value).toBe(true)
    ws.frame({ type: 'status', job_id: 7, state: 'running' })
    ws.logs(0, 100)
    ws.frame({ type: 'ping', ts: 1 })
    expect(stream.state.value).toBe('running')
    expect(stream.count.value).toBe(100)
    const ended = vi.fn()
    stream.onEnd(ended)
    ws.frame({ type: 'end', job_id: 7, state: 'succeeded', next_offset: 100 })
    ws.shut(1000)
    expect(stream.state.value).toBe('succeeded')
    expect(stream.ended.value).toBe(true)
    expect(ended).toHaveBeenCalledWith('succeeded')
    expect(stream.connected.value).toBe(false)
    expect(stream.reconnecting.value).toBe(false)
    expect(FakeSocket.all).toHaveLength(1)
    stop()
  })

  it('reconnects after a drop from next, with no gap and no duplicate', () => {
    vi.useFakeTimers()
    const { stream, stop } = follow()
    const first = FakeSocket.last
    first.open()
    for (let s = 0; s < 500; s += 100) first.logs(s, s + 100)
    first.shut(1006) // dropped mid-stream
    expect(stream.connected.value).toBe(false)
    expect(stream.reconnecting.value).toBe(true)
    vi.advanceTimersByTime(499)
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(2)
    const second = FakeSocket.last
    second.open()
    expect(second.sent).toEqual([{ type: 'follow', offset: 500 }])
    expect(stream.reconnects.value).toBe(1)
    expect(stream.reconnecting.value).toBe(false)
    for (let s = 500; s < 1200; s += 100) second.logs(s, s + 100) // the server resends from the offset asked
    second.frame({ type: 'end', job_id: 7, state: 'succeeded', next_offset: 1200 })
    second.shut(1000)
    expect(seqs(stream)).toEqual(range(1200))
    expect(stream.dupes.value).toBe(0)
    expect(stream.next.value).toBe(1200)
    vi.advanceTimersByTime(10_000)
    expect(FakeSocket.all).toHaveLength(2) // done: no reconnect after 1000
    stop()
  })

  it('backs off 0.5 s, 1 s, 2 s … while the server is away, and drops repeats on resume', () => {
    vi.useFakeTimers()
    const { stream, stop } = follow([500, 1000, 2000])
    const a = FakeSocket.last
    a.open()
    a.logs(0, 50)
    a.shut(1006)
    vi.advanceTimersByTime(500)
    FakeSocket.last.shut(1006) // refused before it opened
    vi.advanceTimersByTime(999)
    expect(FakeSocket.all).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(3)
    FakeSocket.last.shut(1006)
    vi.advanceTimersByTime(1999)
    expect(FakeSocket.all).toHaveLength(3)
    vi.advanceTimersByTime(1)
    const d = FakeSocket.last
    expect(FakeSocket.all).toHaveLength(4)
    d.open()
    expect(d.sent).toEqual([{ type: 'follow', offset: 50 }])
    d.logs(40, 80) // a server that resends a little before the offset: repeats are dropped
    expect(seqs(stream)).toEqual(range(80))
    expect(stream.dupes.value).toBe(10)
    expect(stream.reconnects.value).toBe(3)
    stop()
  })

  it('reconnects at once on 4408 and gives up on 4404', () => {
    vi.useFakeTimers()
    const { stream, stop } = follow()
    const a = FakeSocket.last
    a.open()
    a.logs(0, 10)
    a.shut(4408) // too slow: reconnect from the offset at once
    vi.advanceTimersByTime(0)
    expect(FakeSocket.all).toHaveLength(2)
    const b = FakeSocket.last
    b.open()
    expect(b.sent).toEqual([{ type: 'follow', offset: 10 }])
    b.shut(4404)
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(2)
    expect(stream.closeCode.value).toBe(4404)
    expect(stream.reconnecting.value).toBe(false)
    stop()
  })

  it('shows lines after final holes once the job ends', () => {
    const { stream, stop } = follow()
    const ws = FakeSocket.last
    ws.open()
    ws.logs(0, 5)
    ws.frame({ type: 'logs', job_id: 7, lines: [...lines(7, 9), ...lines(10, 12)] }) // 5, 6 and 9 never stored
    expect(stream.count.value).toBe(5)
    ws.frame({ type: 'end', job_id: 7, state: 'failed', next_offset: 12 })
    expect(seqs(stream)).toEqual([0, 1, 2, 3, 4, 7, 8, 10, 11])
    expect(stream.next.value).toBe(12)
    stop()
  })

  it('closes its socket when its scope ends', () => {
    const { stop } = follow()
    const ws = FakeSocket.last
    ws.open()
    stop()
    expect(ws.readyState).toBe(3)
    expect(FakeSocket.all).toHaveLength(1)
  })
})

describe('LogConsole', () => {
  beforeAll(() => {
    // happy-dom has no layout: give elements a viewport so the virtualiser has a window to fill
    for (const [prop, v] of [['clientHeight', 400], ['offsetHeight', 400], ['clientWidth', 900], ['offsetWidth', 900]] as const)
      Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => v })
  })

  function big(): { stream: LogStream; stop: () => void } {
    const f = follow()
    const ws = FakeSocket.last
    ws.open()
    for (let s = 0; s < 100_000; s += 500) ws.logs(s, s + 500)
    return f
  }

  it('renders a window of 100,000 lines, numbered by seq', async () => {
    const { stream, stop } = big()
    const w = mount(LogConsole, { props: { stream, jobId: 7 }, global: { plugins: [i18n] }, attachTo: document.body })
    await nextTick()
    await nextTick()
    const root = w.get('[data-testid="log-console"]')
    expect(root.attributes('data-count')).toBe('100000')
    expect(root.attributes('data-next')).toBe('100000')
    expect(root.attributes('data-dupes')).toBe('0')
    expect(root.attributes('data-connected')).toBe('true')
    const rows = w.findAll('.log-line')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(200)
    const first = rows[0]
    expect(first?.attributes('data-seq')).toMatch(/^\d+$/)
    expect(first?.find('.no').text()).toBe(first?.attributes('data-seq'))

    // more lines keep coming: the count follows, the DOM stays a window
    FakeSocket.last.logs(100_000, 100_500)
    await nextTick()
    await nextTick()
    expect(root.attributes('data-count')).toBe('100500')
    expect(w.findAll('.log-line').length).toBeLessThan(200)
    w.unmount()
    stop()
  })

  it('searches: counts matches, highlights them and jumps to them', async () => {
    const { stream, stop } = big()
    const w = mount(LogConsole, { props: { stream, jobId: 7 }, global: { plugins: [i18n] }, attachTo: document.body })
    await w.get('input[data-testid="log-search"]').setValue('step 9999')
    await new Promise((r) => setTimeout(r, 260))
    await nextTick()
    await nextTick()
    // "step 9999" and "step 99990".."step 99999"
    expect(w.get('[data-testid="log-search-count"]').attributes('data-matches')).toBe('11')
    expect(w.get('[data-testid="log-follow"]').attributes('data-on')).toBe('false') // a jump stops following
    await w.get('[data-testid="log-filter"] input').setValue(true)
    await nextTick()
    await nextTick()
    const shown = w.findAll('.log-line').map((r) => Number(r.attributes('data-seq')))
    expect(shown).toEqual([9999, ...Array.from({ length: 10 }, (_, i) => 99990 + i)])
    expect(w.findAll('mark').length).toBe(11)
    w.unmount()
    stop()
  })

  it('downloads every line as job-<id>.log', async () => {
    const { stream, stop } = big()
    let blob: Blob | undefined
    let name = ''
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob
      return 'blob:test'
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      name = this.download
    })
    const w = mount(LogConsole, { props: { stream, jobId: 42 }, global: { plugins: [i18n] }, attachTo: document.body })
    await w.get('[data-testid="log-download"]').trigger('click')
    expect(name).toBe('job-42.log')
    const text = await blob?.text()
    expect(text?.split('\n').length).toBe(100_001)
    expect(text?.startsWith('step 0 loss=1.00000\n')).toBe(true)
    create.mockRestore()
    revoke.mockRestore()
    click.mockRestore()
    w.unmount()
    stop()
  })
})
