// Where a page may send the user next: local paths only (no open redirect).
export function safeNext(next: unknown, fallback = '/'): string {
  const v = Array.isArray(next) ? next[0] : next
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.includes('\\')) return fallback
  if (v.startsWith('/login')) return fallback
  return v
}
