// The upload over XMLHttpRequest (for its progress): the URL with its query, the session's credentials and CSRF
// header, progress reported, the job on 202 and the API's reason on a refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { uploadVersion } from '@/api/upload'

class FakeXhr {
  static last: FakeXhr | null = null
  method = ''
  url = ''
  headers: Record<string, string> = {}
  withCredentials = false
  status = 0
  responseText = ''
  body: unknown = null
  aborted = false
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null; onload: (() => void) | null } = { onprogress: null, onload: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXhr.last = this
  }
  open(method: string, url: string): void {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string): void {
    this.headers[k] = v
  }
  send(body: unknown): void {
    this.body = body
  }
  abort(): void {
    this.aborted = true
    this.onabort?.()
  }
  answer(status: number, body: unknown): void {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

const original = globalThis.XMLHttpRequest
beforeEach(() => {
  globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest
})
afterEach(() => {
  globalThis.XMLHttpRequest = original
})

describe('uploadVersion', () => {
  it('streams the file with the CSRF header and reports progress, then hands back the job', async () => {
    const file = new Blob(['date,symbol,close\n2024-01-02,SH600000,1\n'])
    const seen: number[] = []
    const call = uploadVersion('my data', 'filename=a.csv&append=true', file, (p) => seen.push(Math.round((p.loaded / p.total) * 100)))
    const x = FakeXhr.last!
    expect(x.method).toBe('POST')
    expect(x.url).toMatch(/\/api\/data\/datasets\/my%20data\/versions\?filename=a\.csv&append=true$/)
    expect(x.headers['X-QLP-CSRF']).toBe('1')
    expect(x.headers['Content-Type']).toBe('application/octet-stream')
    expect(x.withCredentials).toBe(true)
    expect(x.body).toBe(file)
    x.upload.onprogress?.({ loaded: file.size / 2, total: file.size, lengthComputable: true })
    x.upload.onload?.()
    x.answer(202, { id: 7, kind: 'ingest', state: 'queued' })
    await expect(call.promise).resolves.toMatchObject({ id: 7, kind: 'ingest' })
    expect(seen).toEqual([50, 100])
  })

  it('rejects with the API reason on a refusal', async () => {
    const call = uploadVersion('d', 'filename=a.xlsx', new Blob(['x']), () => {})
    FakeXhr.last!.answer(422, { title: 'Unprocessable', status: 422, detail: 'a.xlsx: not a file the ingest reads' })
    const e = await call.promise.catch((err: unknown) => err)
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).status).toBe(422)
    expect((e as ApiError).message).toBe('a.xlsx: not a file the ingest reads')
  })

  it('says a 413 without a body is too large by its status, and can be aborted', async () => {
    const call = uploadVersion('d', 'filename=a.csv', new Blob(['x']), () => {})
    const x = FakeXhr.last!
    x.status = 413
    x.responseText = ''
    x.onload?.()
    await expect(call.promise).rejects.toMatchObject({ status: 413, message: 'HTTP 413' })
    const other = uploadVersion('d', 'filename=a.csv', new Blob(['x']), () => {})
    other.abort()
    await expect(other.promise).rejects.toThrow('aborted')
    expect(FakeXhr.last!.aborted).toBe(true)
  })
})
