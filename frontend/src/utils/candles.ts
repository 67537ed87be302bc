// Pure helpers of the candlestick chart: moving averages over gaps, ECharts candle and volume data from daily bars,
// the up/down colours of a candle by convention, the default date window, and how prices and volumes read.

import { direction, type Direction } from './format'

/** Daily bars as GET /api/data/datasets/{id}/bars answers (one entry per date, null where there is no value). */
export interface Bars {
  dates: string[]
  open: (number | null)[]
  high: (number | null)[]
  low: (number | null)[]
  close: (number | null)[]
  volume: (number | null)[]
}

/** ECharts' candlestick value order: open, close, lowest, highest; '-' is ECharts' "no value here". */
export type CandleValue = [number, number, number, number] | ['-', '-', '-', '-']
const EMPTY_CANDLE: CandleValue = ['-', '-', '-', '-']

export interface VolumeBar {
  value: number | '-'
  dir: Direction
}

export interface CandleData {
  dates: string[]
  candles: CandleValue[]
  volumes: VolumeBar[]
  ma5: (number | null)[]
  ma20: (number | null)[]
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/**
 * The simple moving average of the last `window` values that exist. A day without a value (a suspension, a gap)
 * has no average and is skipped by the window (the average goes on over the days that traded); the first
 * average comes once `window` values have been seen.
 */
export function movingAverage(values: readonly (number | null | undefined)[], window: number): (number | null)[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, not ${window}`)
  const out: (number | null)[] = []
  const recent: number[] = []
  let sum = 0
  for (const v of values) {
    if (!finite(v)) {
      out.push(null)
      continue
    }
    recent.push(v)
    sum += v
    if (recent.length > window) sum -= recent.shift() as number
    out.push(recent.length === window ? sum / window : null)
  }
  return out
}

/** Which way one day's candle went: by close against open, and on a doji against the previous close. */
export function candleDirection(open: number | null, close: number | null, prevClose: number | null = null): Direction {
  if (!finite(open) || !finite(close)) return 'flat'
  if (close !== open) return direction(close - open)
  return finite(prevClose) ? direction(close - prevClose) : 'flat'
}

/** Everything the candlestick + volume chart draws, from the API's bars. */
export function buildCandles(bars: Bars): CandleData {
  const candles: CandleValue[] = []
  const volumes: VolumeBar[] = []
  let prevClose: number | null = null
  bars.dates.forEach((_, i) => {
    const o = bars.open[i] ?? null
    const h = bars.high[i] ?? null
    const l = bars.low[i] ?? null
    const c = bars.close[i] ?? null
    const v = bars.volume[i] ?? null
    const whole = finite(o) && finite(h) && finite(l) && finite(c)
    candles.push(whole ? [o, c, l, h] : EMPTY_CANDLE)
    volumes.push({ value: finite(v) ? v : '-', dir: whole ? candleDirection(o, c, prevClose) : 'flat' })
    if (finite(c)) prevClose = c
  })
  return {
    dates: [...bars.dates],
    candles,
    volumes,
    ma5: movingAverage(bars.close, 5),
    ma20: movingAverage(bars.close, 20),
  }
}

export interface UpDown {
  up: string
  down: string
}

/** ECharts' candlestick item style: `color`/`borderColor` paint a rise, `color0`/`borderColor0` a fall. */
export function candleItemStyle(colors: UpDown): { color: string; color0: string; borderColor: string; borderColor0: string } {
  return { color: colors.up, color0: colors.down, borderColor: colors.up, borderColor0: colors.down }
}

/** The colour of a volume bar: its candle's; a flat day in grey. */
export function volumeColor(dir: Direction, colors: UpDown, flat = '#86909c'): string {
  return dir === 'up' ? colors.up : dir === 'down' ? colors.down : flat
}

/**
 * The default window: the last `n` trading days of `calendar` (sorted, ISO dates) that end on or before `end`
 * (the instrument's last listed day; the calendar's last day when left out). Null for an empty calendar.
 */
export function tradingWindow(calendar: readonly string[], n: number, end?: string | null): [string, string] | null {
  let last = calendar.length - 1
  if (end) while (last >= 0 && (calendar[last] as string) > end) last--
  if (last < 0) return null
  const first = Math.max(0, last - Math.max(1, n) + 1)
  return [calendar[first] as string, calendar[last] as string]
}

/** A price to two decimals (or a dash). */
export function price(v: number | null | undefined): string {
  return finite(v) ? v.toFixed(2) : '—'
}

/** A volume in the reader's units: 万 and 亿 in Chinese, K, M and B otherwise (`digits` after the point). */
export function volume(v: number | null | undefined, locale = 'zh-CN', digits = 2): string {
  if (!finite(v)) return '—'
  const a = Math.abs(v)
  if (locale === 'zh-CN') {
    if (a >= 1e8) return `${(v / 1e8).toFixed(digits)}亿`
    if (a >= 1e4) return `${(v / 1e4).toFixed(digits)}万`
    return v.toFixed(0)
  }
  if (a >= 1e9) return `${(v / 1e9).toFixed(digits)}B`
  if (a >= 1e6) return `${(v / 1e6).toFixed(digits)}M`
  if (a >= 1e3) return `${(v / 1e3).toFixed(digits)}K`
  return v.toFixed(0)
}

export interface BarSummary {
  date: string
  open: number | null
  high: number | null
  low: number | null
  close: number | null
  volume: number | null
  /** Close over the previous day's close, minus one; null without both. */
  change: number | null
}

/** One day of the bars, for the tooltip (the change against the last earlier close). */
export function barSummary(bars: Bars, i: number): BarSummary | null {
  const date = bars.dates[i]
  if (date === undefined) return null
  const close = bars.close[i] ?? null
  let prev: number | null = null
  for (let j = i - 1; j >= 0 && prev === null; j--) {
    const c = bars.close[j]
    if (finite(c)) prev = c
  }
  return {
    date,
    open: bars.open[i] ?? null,
    high: bars.high[i] ?? null,
    low: bars.low[i] ?? null,
    close,
    volume: bars.volume[i] ?? null,
    change: finite(close) && finite(prev) && prev !== 0 ? close / prev - 1 : null,
  }
}
