// The candlestick helpers: moving averages over gaps, candle and volume data, colours by convention, the window.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { usePrefs } from '@/stores/prefs'
import {
  barSummary,
  buildCandles,
  candleDirection,
  candleItemStyle,
  movingAverage,
  price,
  tradingWindow,
  volume,
  volumeColor,
  type Bars,
} from '@/utils/candles'

describe('moving averages', () => {
  it('averages the last n values and waits for n of them', () => {
    expect(movingAverage([1, 2, 3, 4, 5, 6], 3)).toEqual([null, null, 2, 3, 4, 5])
    expect(movingAverage([1, 2], 5)).toEqual([null, null])
    expect(movingAverage([], 5)).toEqual([])
    expect(movingAverage([7], 1)).toEqual([7])
  })

  it('leaves a gap where a day has no value and averages over the days that traded', () => {
    // the null day has no average; the window then spans the values around it
    expect(movingAverage([1, 2, null, 3, 4], 3)).toEqual([null, null, null, 2, 3])
    expect(movingAverage([null, null, 2, 4], 2)).toEqual([null, null, null, 3])
    expect(movingAverage([1, undefined, Number.NaN, 5], 2)).toEqual([null, null, null, 3])
  })

  it('keeps its running sum exact enough over long series', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 10 + Math.sin(i) * 3)
    const ma = movingAverage(values, 20)
    const last = values.slice(-20).reduce((a, b) => a + b, 0) / 20
    expect(ma[999]).toBeCloseTo(last, 9)
  })

  it('refuses a window that is not a positive integer', () => {
    expect(() => movingAverage([1, 2], 0)).toThrow(RangeError)
    expect(() => movingAverage([1, 2], 2.5)).toThrow(RangeError)
  })
})

describe('candle data', () => {
  const bars: Bars = {
    dates: ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'],
    open: [10, 10.5, null, 10, 11],
    high: [11, 10.8, null, 10.2, 11.5],
    low: [9.8, 10.1, null, 9.6, 10.9],
    close: [10.6, 10.2, null, 10, 11.4],
    volume: [1000, 1500, null, 800, 2000],
  }

  it('orders each candle as ECharts reads it (open, close, low, high) and marks missing days', () => {
    const d = buildCandles(bars)
    expect(d.dates).toEqual(bars.dates)
    expect(d.candles[0]).toEqual([10, 10.6, 9.8, 11])
    expect(d.candles[2]).toEqual(['-', '-', '-', '-'])
    expect(d.candles).toHaveLength(5)
  })

  it('colours volume by its candle: a rise, a fall, a doji against the previous close', () => {
    const d = buildCandles(bars)
    expect(d.volumes.map((v) => v.dir)).toEqual(['up', 'down', 'flat', 'down', 'up'])
    expect(d.volumes[2]?.value).toBe('-')
    expect(d.volumes[4]?.value).toBe(2000)
    // 2024-01-05: open == close == 10, the last close before it (10.2, the gap skipped) was higher
    expect(candleDirection(10, 10, 10.2)).toBe('down')
    expect(candleDirection(10, 10, 9)).toBe('up')
    expect(candleDirection(10, 10, null)).toBe('flat')
    expect(candleDirection(null, 10)).toBe('flat')
  })

  it('overlays MA5 and MA20 of the close, with the gap kept', () => {
    const d = buildCandles(bars)
    expect(d.ma5).toEqual([null, null, null, null, null]) // only four closes exist
    const long: Bars = { ...bars, dates: [], open: [], high: [], low: [], close: [], volume: [] }
    for (let i = 0; i < 25; i++) {
      long.dates.push(`d${i}`)
      long.open.push(i)
      long.high.push(i + 1)
      long.low.push(i - 1)
      long.close.push(i === 10 ? null : i)
      long.volume.push(100)
    }
    const l = buildCandles(long)
    expect(l.ma5[4]).toBe(2)
    expect(l.ma5[10]).toBeNull()
    expect(l.ma5[11]).toBeCloseTo((6 + 7 + 8 + 9 + 11) / 5, 9) // the window skips the gap at 10
    expect(l.ma20[19]).toBeNull() // 19 closes so far (one gap)
    expect(l.ma20[20]).toBeCloseTo((210 - 10) / 20, 9) // 0..20 without 10
  })

  it('summarises a day for the tooltip, the change against the last earlier close', () => {
    expect(barSummary(bars, 1)).toMatchObject({ date: '2024-01-03', open: 10.5, close: 10.2, volume: 1500 })
    expect(barSummary(bars, 1)?.change).toBeCloseTo(10.2 / 10.6 - 1, 12)
    expect(barSummary(bars, 3)?.change).toBeCloseTo(10 / 10.2 - 1, 12) // across the gap
    expect(barSummary(bars, 0)?.change).toBeNull()
    expect(barSummary(bars, 2)?.change).toBeNull()
    expect(barSummary(bars, 9)).toBeNull()
  })

  it('reads prices to two decimals and volumes in the reader units', () => {
    expect(price(10.256)).toBe('10.26')
    expect(price(null)).toBe('—')
    expect(volume(123456789, 'zh-CN')).toBe('1.23亿')
    expect(volume(25000, 'zh-CN')).toBe('2.50万')
    expect(volume(999, 'zh-CN')).toBe('999')
    expect(volume(2_500_000, 'en')).toBe('2.50M')
    expect(volume(1500, 'en')).toBe('1.50K')
    expect(volume(3.2e9, 'en')).toBe('3.20B')
    expect(volume(Number.NaN, 'en')).toBe('—')
    expect(volume(10_000_000, 'zh-CN', 0)).toBe('1000万')
    expect(volume(3_000_000, 'en', 0)).toBe('3M')
  })
})

describe('colours by convention', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('paints a rise red and a fall green in the Chinese convention', () => {
    const prefs = usePrefs()
    prefs.convention = 'red-up'
    const colors = prefs.colors()
    const style = candleItemStyle(colors)
    expect(style.color).toBe(colors.up)
    expect(style.borderColor).toBe(colors.up)
    expect(style.color0).toBe(colors.down)
    expect(style.borderColor0).toBe(colors.down)
    expect(colors.up).toBe('#d9363e')
    expect(colors.down).toBe('#1a9a5a')
    expect(volumeColor('up', colors)).toBe('#d9363e')
    expect(volumeColor('down', colors)).toBe('#1a9a5a')
    expect(volumeColor('flat', colors)).toBe('#86909c')
  })

  it('paints a rise green and a fall red otherwise', () => {
    const prefs = usePrefs()
    prefs.convention = 'green-up'
    const style = candleItemStyle(prefs.colors())
    expect(style.color).toBe('#1a9a5a')
    expect(style.color0).toBe('#d9363e')
    expect(volumeColor('up', prefs.colors())).toBe('#1a9a5a')
  })
})

describe('the default window', () => {
  const cal = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10))

  it('is the last n trading days', () => {
    expect(tradingWindow(cal, 250)).toEqual([cal[50], cal[299]])
    expect(tradingWindow(cal.slice(0, 10), 250)).toEqual([cal[0], cal[9]])
    expect(tradingWindow([], 250)).toBeNull()
  })

  it('ends at the instrument’s last listed day', () => {
    expect(tradingWindow(cal, 5, cal[100])).toEqual([cal[96], cal[100]])
    expect(tradingWindow(cal, 5, '2022-01-01')).toBeNull()
  })
})
