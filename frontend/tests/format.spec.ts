import { describe, expect, it } from 'vitest'
import { bps, bytes, direction, duration, formatMetric, ic, lowerIsBetter, metricKind, pct, signClass } from '@/utils/format'

describe('metric formatting', () => {
  it('shows returns and drawdowns in percent', () => {
    expect(pct(0.12345)).toBe('12.35%')
    expect(pct(-0.0871, 1)).toBe('-8.7%')
    expect(formatMetric('1day.excess_return_with_cost.annualized_return', 0.2611)).toBe('26.11%')
    expect(formatMetric('1day.excess_return_without_cost.max_drawdown', -0.0534)).toBe('-5.34%')
  })

  it('shows daily means in basis points and IC to four decimals', () => {
    expect(bps(0.00123)).toBe('12.3 bp')
    expect(formatMetric('1day.excess_return_with_cost.mean', 0.0011)).toBe('11.0 bp')
    expect(ic(0.057612)).toBe('0.0576')
    expect(formatMetric('Rank IC', 0.05761)).toBe('0.0576')
    expect(formatMetric('ICIR', 0.4)).toBe('0.4000')
    expect(metricKind('IC')).toBe('ic')
    expect(metricKind('Rank ICIR')).toBe('ic')
    expect(formatMetric('1day.excess_return_with_cost.information_ratio', 1.23456)).toBe('1.235')
  })

  it('marks missing values with a dash, never NaN', () => {
    expect(pct(null)).toBe('—')
    expect(ic(Number.NaN)).toBe('—')
    expect(formatMetric('IC', undefined)).toBe('—')
    expect(bps(Number.POSITIVE_INFINITY)).toBe('—')
  })

  it('says which way a value moved, for the colour convention', () => {
    expect(direction(0.01)).toBe('up')
    expect(direction(-0.01)).toBe('down')
    expect(direction(0)).toBe('flat')
    expect(signClass(0.2)).toBe('qlp-up')
    expect(signClass(-0.2)).toBe('qlp-down')
    expect(signClass(null)).toBe('')
  })

  it('knows which metrics are better low', () => {
    expect(lowerIsBetter('1day.excess_return_with_cost.std')).toBe(true)
    expect(lowerIsBetter('1day.excess_return_with_cost.max_drawdown')).toBe(false)
    expect(lowerIsBetter('IC')).toBe(false)
  })

  it('formats sizes and durations', () => {
    expect(bytes(512)).toBe('512 B')
    expect(bytes(1536)).toBe('1.5 KB')
    expect(duration(12.34)).toBe('12.3s')
    expect(duration(185)).toBe('3m 05s')
    expect(duration(3725)).toBe('1h 02m')
  })
})
