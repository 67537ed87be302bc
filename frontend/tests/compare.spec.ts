// The runs/compare helpers: metric labels, best marking (ties, missing, *.std), series with gaps, aligning.
import { describe, expect, it } from 'vitest'
import {
  alignOn,
  bestRuns,
  countPoints,
  lineSeries,
  markBest,
  metricLabel,
  parseMetricKey,
  signed,
  totalPoints,
  uniqueNames,
  type LabelWords,
  type RunMetrics,
} from '@/utils/compare'
import en from '@/i18n/en'
import zhCN from '@/i18n/zh-CN'

const words = (m: typeof en): LabelWords => ({
  names: m.experiments.metric.names,
  withCost: m.experiments.metric.withCost,
  withoutCost: m.experiments.metric.withoutCost,
})

describe('metric labels', () => {
  it('reads Qlib keys', () => {
    expect(parseMetricKey('1day.excess_return_with_cost.annualized_return')).toMatchObject({
      name: 'annualized_return',
      cost: 'with',
      freq: '1day',
    })
    expect(parseMetricKey('Rank ICIR').name).toBe('rank_icir')
    expect(parseMetricKey('IC').name).toBe('ic')
    expect(parseMetricKey('1day.excess_return_without_cost.max_drawdown').cost).toBe('without')
    expect(parseMetricKey('l2.valid').name).toBeNull()
    // a bare "mean" is not Qlib's daily mean of a return
    expect(parseMetricKey('mean').name).toBeNull()
  })

  it('shortens keys in both languages', () => {
    expect(metricLabel('1day.excess_return_with_cost.annualized_return', words(en))).toBe('Ann. return (w/ cost)')
    expect(metricLabel('1day.excess_return_without_cost.information_ratio', words(en))).toBe('IR (w/o cost)')
    expect(metricLabel('1day.excess_return_with_cost.max_drawdown', words(zhCN))).toBe('最大回撤 (含费)')
    expect(metricLabel('Rank IC', words(zhCN))).toBe('Rank IC')
    expect(metricLabel('1day.ffr', words(en))).toBe('Fill rate')
  })

  it('keeps a non-daily frequency; an unknown key is shown whole when short, else by its last segment', () => {
    expect(metricLabel('5day.excess_return_with_cost.annualized_return', words(en))).toBe('5day Ann. return (w/ cost)')
    expect(metricLabel('l2.valid', words(en))).toBe('l2.valid')
    expect(metricLabel('custom', words(en))).toBe('custom')
    expect(metricLabel('model.training.final_validation_loss', words(en))).toBe('final_validation_loss')
  })

  it('knows which metrics are signed', () => {
    expect(signed('IC')).toBe(true)
    expect(signed('1day.excess_return_with_cost.max_drawdown')).toBe(true)
    expect(signed('1day.excess_return_with_cost.std')).toBe(false)
    expect(signed('1day.pos')).toBe(false)
  })
})

const runs = (values: Record<string, (number | null | undefined)[]>): RunMetrics[] => {
  const n = Math.max(...Object.values(values).map((v) => v.length))
  return Array.from({ length: n }, (_, i) => ({
    run_id: `r${i}`,
    metrics: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[i]])),
  }))
}

describe('best marking', () => {
  it('marks the highest, and the lowest for *.std', () => {
    const r = runs({ IC: [0.03, 0.05, 0.04], '1day.excess_return_with_cost.std': [0.004, 0.002, 0.003] })
    expect(bestRuns('IC', r)).toEqual(['r1'])
    expect(bestRuns('1day.excess_return_with_cost.std', r)).toEqual(['r1'])
  })

  it('marks a max drawdown closest to zero (highest) as best', () => {
    const r = runs({ '1day.excess_return_with_cost.max_drawdown': [-0.12, -0.05] })
    expect(bestRuns('1day.excess_return_with_cost.max_drawdown', r)).toEqual(['r1'])
  })

  it('marks every run of a tie, and nobody when all are equal', () => {
    expect(bestRuns('IC', runs({ IC: [0.05, 0.02, 0.05] }))).toEqual(['r0', 'r2'])
    expect(bestRuns('IC', runs({ IC: [0.05, 0.05] }))).toEqual([])
  })

  it('skips missing and non-finite values; one value has nothing to beat', () => {
    expect(bestRuns('IC', runs({ IC: [null, 0.01, Number.NaN, 0.02, undefined] }))).toEqual(['r3'])
    expect(bestRuns('IC', runs({ IC: [null, 0.01] }))).toEqual([])
    expect(bestRuns('ICIR', runs({ IC: [0.1, 0.2] }))).toEqual([])
  })

  it('follows the API best map, extended to ties, and decides what it left out', () => {
    const r = runs({ IC: [0.05, 0.02, 0.05], ICIR: [0.3, 0.5, 0.1] })
    expect(markBest(['IC', 'ICIR'], r, { IC: 'r2' })).toEqual({ IC: ['r0', 'r2'], ICIR: ['r1'] })
    // an API winner without a value here (or an unknown run) falls back to the local answer
    expect(markBest(['ICIR'], r, { ICIR: 'nope' })).toEqual({ ICIR: ['r1'] })
    // all equal: nothing is marked even when the API names one
    expect(markBest(['IC'], runs({ IC: [0.1, 0.1] }), { IC: 'r0' })).toEqual({ IC: [] })
  })
})

describe('series', () => {
  it('keeps nulls as gaps (never zeros) and counts drawn points', () => {
    const [s] = lineSeries([{ name: 'a', values: [0.1, null, Number.NaN, 0.3] }])
    expect(s?.data).toEqual([0.1, null, null, 0.3])
    expect(s?.connectNulls).toBe(false)
    expect(s?.type).toBe('line')
    expect(countPoints([0.1, null, Number.NaN, 0.3])).toBe(2)
    expect(totalPoints([{ name: 'a', values: [1, null] }, { name: 'b', values: [null, 2, 3] }])).toBe(3)
  })

  it('draws daily lines faint under the rolling mean and groups them in the legend', () => {
    const [daily, rolling] = lineSeries([
      { name: 'IC daily', group: 'run A', values: [0.1], faint: true, color: '#123456' },
      { name: 'IC 20-day', group: 'run A', values: [0.1], color: '#123456' },
    ])
    expect(daily?.name).toBe('run A')
    expect(rolling?.name).toBe('run A')
    expect(daily?.lineStyle.opacity).toBeLessThan(1)
    expect(rolling?.lineStyle.opacity).toBe(1)
    expect(rolling?.z).toBeGreaterThan(daily?.z ?? 0)
    expect(rolling?.itemStyle?.color).toBe('#123456')
  })

  it('fills the area of a line that asks for it', () => {
    const [s, t] = lineSeries([{ name: 'dd', values: [-0.1], area: true }, { name: 'x', values: [1] }])
    expect(s?.areaStyle).toBeDefined()
    expect(t?.areaStyle).toBeUndefined()
  })

  it('aligns a series on other dates', () => {
    expect(alignOn(['d1', 'd2', 'd3', 'd4'], ['d2', 'd4', 'd5'], [0.2, null, 0.5])).toEqual([null, 0.2, null, null])
  })

  it('makes run names unique for a legend', () => {
    expect(uniqueNames(['a', 'b', 'a', ''])).toEqual(['a', 'b', 'a (2)', '—'])
  })
})
