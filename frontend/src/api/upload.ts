// The one call made with XMLHttpRequest: a data file streamed to POST /api/data/datasets/{name}/versions, for the
// upload's progress (fetch reports none). Same credentials as the client: the session cookie and the CSRF header.
import { ApiError, CSRF_HEADER, type Problem, type Schemas } from './client'

export interface UploadProgress {
  loaded: number
  total: number
}

export interface UploadCall {
  promise: Promise<Schemas['JobRead']>
  abort: () => void
}

function problemOf(xhr: XMLHttpRequest): Partial<Problem> | undefined {
  try {
    const body: unknown = JSON.parse(xhr.responseText)
    return body && typeof body === 'object' ? (body as Partial<Problem>) : undefined
  } catch {
    return xhr.responseText ? { detail: xhr.responseText.slice(0, 500) } : undefined
  }
}

/** Sends `file` as the body (application/octet-stream); resolves with the ingest job (202), rejects with an ApiError
 * carrying the API's problem (413 too large, 422 with its reason, …) or an Error when the connection failed. */
export function uploadVersion(name: string, query: string, file: Blob, onProgress: (p: UploadProgress) => void): UploadCall {
  const xhr = new XMLHttpRequest()
  const promise = new Promise<Schemas['JobRead']>((resolve, reject) => {
    const origin = globalThis.location?.origin ?? ''
    xhr.open('POST', `${origin}/api/data/datasets/${encodeURIComponent(name)}/versions?${query}`)
    xhr.withCredentials = true
    xhr.setRequestHeader(CSRF_HEADER, '1')
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size })
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size })
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as Schemas['JobRead'])
        } catch {
          reject(new ApiError(xhr.status, { detail: 'the answer is not JSON' }))
        }
      } else reject(new ApiError(xhr.status, problemOf(xhr)))
    }
    xhr.onerror = () => reject(new Error('network error: the upload did not reach the server'))
    xhr.onabort = () => reject(new Error('aborted'))
    xhr.send(file)
  })
  return { promise, abort: () => xhr.abort() }
}
