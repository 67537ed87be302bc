// Numbers as quants read them: returns and drawdowns in percent, small daily figures in basis points, IC to 4
// decimals; which way is "up" for the colour convention; sizes and durations.

export type Direction = 'up' | 'down' | 'flat'

const DASH = '—'

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/** 0.1234 → "12.34%" */
export function pct(v: number | null | undefined, digits = 2): string {
  return finite(v) ? `${(v * 100).toFixed(digits)}%` : DASH
}

/** 0.00123 → "12.3 bp" */
export function bps(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${(v * 10000).toFixed(digits)} bp` : DASH
}

/** IC, Rank IC and their IR: four decimals. */
export function ic(v: number | null | undefined): string {
  return finite(v) ? v.toFixed(4) : DASH
}

export function fixed(v: number | null | undefined, digits = 2): string {
  return finite(v) ? v.toFixed(digits) : DASH
}

export type MetricKind = 'ic' | 'percent' | 'bps' | 'ratio' | 'plain'

/** How a metric is shown, from its Qlib name. */
export function metricKind(key: string): MetricKind {
  const k = key.toLowerCase()
  if (/(^|\.)(rank )?ic(ir)?$/.test(k) || k === 'ic' || k === 'rank ic' || k === 'icir' || k === 'rank icir') return 'ic'
  if (k.endsWith('.mean') || k.endsWith('.std')) return 'bps'
  if (k.endsWith('annualized_return') || k.endsWith('max_drawdown') || k.endsWith('ann return') || k.endsWith('.ffr') || k.endsWith('.pa') || k.endsWith('.pos') || k.includes('turnover')) return 'percent'
  if (k.endsWith('information_ratio') || k.endsWith('sharpe')) return 'ratio'
  return 'plain'
}

export function formatMetric(key: string, v: number | null | undefined): string {
  switch (metricKind(key)) {
    case 'ic':
      return ic(v)
    case 'percent':
      return pct(v)
    case 'bps':
      return bps(v)
    case 'ratio':
      return fixed(v, 3)
    default:
      return finite(v) ? (Math.abs(v) >= 1000 || Number.isInteger(v) ? String(v) : v.toPrecision(4)) : DASH
  }
}

/** Whether a value reads as a rise or a fall (the colour then follows the user's convention). */
export function direction(v: number | null | undefined): Direction {
  if (!finite(v) || v === 0) return 'flat'
  return v > 0 ? 'up' : 'down'
}

/** The CSS class for a signed value: qlp-up / qlp-down (their colours follow the convention). */
export function signClass(v: number | null | undefined): string {
  const d = direction(v)
  return d === 'flat' ? '' : `qlp-${d}`
}

/** Lower is better for these metrics when marking the best of several runs: spreads and training losses. */
export function lowerIsBetter(key: string): boolean {
  const k = key.toLowerCase()
  return k.endsWith('.std') || k.startsWith('l1.') || k.startsWith('l2.') || k.includes('loss')
}

export function bytes(n: number | null | undefined): string {
  if (!finite(n)) return DASH
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

/** Seconds → "1h 02m", "3m 05s", "12.3s". */
export function duration(seconds: number | null | undefined): string {
  if (!finite(seconds) || seconds < 0) return DASH
  if (seconds < 60) return `${seconds.toFixed(1)}s`
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(r).padStart(2, '0')}s`
}

/** An ISO timestamp in the reader's time zone, to the second. */
export function datetime(iso: string | number | null | undefined, locale = 'zh-CN'): string {
  if (iso === null || iso === undefined || iso === '') return DASH
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return DASH
  return d.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false })
}
