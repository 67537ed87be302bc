// The factor pages' pure helpers: names and tags, an evaluation's summary read from the API's object, values at the
// first horizon and the decay ratio, the library's order turned round, where an expression error is, horizons typed
// as text, rolling means, the long-short curve and a sparkline's points.
import { describe, expect, it } from 'vitest'
import {
  allTags,
  atFirst,
  decayRatio,
  errorMarker,
  errorText,
  horizonKeys,
  inOrder,
  longShortCumulative,
  parseHorizons,
  resultOf,
  rollingMean,
  sortValue,
  sparkline,
  statsKey,
  summaryOf,
  validName,
  validTag,
} from '@/utils/factors'

const SUMMARY = {
  ic: { '10': 0.02, '1': 0.05, '5': 0.04 },
  rank_ic: { '1': 0.06, '5': 0.045, '10': 0.03 },
  icir: { '1': 0.5 },
  rank_icir: { '1': 0.61, '5': 0.4, '10': 0.2 },
  t_stat: { '1': 9.1 },
  rank_t_stat: { '1': 11.2 },
  long_short: { '1': 0.002 },
  long_short_t: { '1': 4 },
  decay: [0.06, 0.045, 0.03],
  turnover: 0.42,
  autocorrelation: 0.8,
  coverage: 0.97,
  redundancy: [{ factor_key: 'f1', factor: 'sig', factor_id: 1, corr: 0.99, redundant: true, days: 100 }],
  redundant: true,
}

describe('names and tags', () => {
  it('accepts what the API accepts', () => {
    for (const n of ['momentum', 'm5', 'A.b-c_d', 'x'.repeat(64)]) expect(validName(n), n).toBe(true)
    for (const n of ['', '5m', '_x', 'a b', 'x'.repeat(65), '因子']) expect(validName(n), n).toBe(false)
    for (const g of ['price', 'e2e', 'a_b-c', '0x']) expect(validTag(g), g).toBe(true)
    for (const g of ['Price', '-a', 'a b', 'x'.repeat(33), '']) expect(validTag(g), g).toBe(false)
  })

  it('collects every tag once, sorted', () => {
    expect(allTags([['b', 'a'], [], ['a', 'c']])).toEqual(['a', 'b', 'c'])
  })
})

describe('summaries', () => {
  it('reads a finished evaluation and nothing from an empty one', () => {
    const s = summaryOf(SUMMARY)
    expect(s?.rank_ic['1']).toBe(0.06)
    expect(s?.redundant).toBe(true)
    expect(s?.redundancy[0]?.factor).toBe('sig')
    expect(summaryOf({})).toBeNull()
    expect(summaryOf(null)).toBeNull()
    expect(summaryOf({ rank_ic: {}, turnover: 'x' })?.turnover).toBeNull()
  })

  it('orders horizons by days and takes the first', () => {
    expect(horizonKeys(SUMMARY.ic)).toEqual(['1', '5', '10'])
    expect(horizonKeys({ '20D': 1, '5D': 2 })).toEqual(['5D', '20D'])
    expect(atFirst(SUMMARY.ic)).toBe(0.05)
    expect(atFirst({})).toBeNull()
    expect(atFirst({ '1': null })).toBeNull()
  })

  it('reads the decay as the last horizon over the first', () => {
    expect(decayRatio([0.06, 0.045, 0.03])).toBeCloseTo(0.5)
    expect(decayRatio([0.06])).toBeNull()
    expect(decayRatio([0, 0.01])).toBeNull()
    expect(decayRatio([null, 0.01])).toBeNull()
  })

  it('sorts like the API (turnover lowest first)', () => {
    const s = summaryOf(SUMMARY)
    expect(sortValue(s, 'rank_ic')).toBe(0.06)
    expect(sortValue(s, 'ic')).toBe(0.05)
    expect(sortValue(s, 'rank_icir')).toBe(0.61)
    expect(sortValue(s, 'decay')).toBeCloseTo(0.5)
    expect(sortValue(s, 'turnover')).toBe(-0.42)
    expect(sortValue(null, 'rank_ic')).toBeNull()
    expect(sortValue(s, 'name')).toBeNull()
  })

  it('turns the API order round for an ascending column, rows without a value still last', () => {
    const rows = [{ v: 3 }, { v: 2 }, { v: 1 }, { v: null }]
    expect(inOrder(rows, (r) => r.v, 'descending')).toEqual(rows)
    expect(inOrder(rows, (r) => r.v, 'ascending').map((r) => r.v)).toEqual([1, 2, 3, null])
  })

  it('reads a result only when it has its daily series', () => {
    expect(resultOf({ stats: { days: { dates: ['2024-01-02'] } } })).not.toBeNull()
    expect(resultOf({})).toBeNull()
    expect(resultOf({ stats: {} })).toBeNull()
    expect(statsKey(5)).toBe('5D')
    expect(statsKey('5D')).toBe('5D')
  })
})

describe('expression errors', () => {
  it('marks the character at the position, with a caret under it', () => {
    const m = errorMarker('Mean($close, )', 13)
    expect(m).toEqual({ line: 1, col: 14, before: 'Mean($close, ', at: ')', after: '', caret: `${' '.repeat(13)}^` })
  })

  it('marks the end of the text when the expression stops short', () => {
    const m = errorMarker('Ref($close, 5', 13)
    expect(m.at).toBe('')
    expect(m.before).toBe('Ref($close, 5')
    expect(m.caret).toBe(`${' '.repeat(13)}^`)
  })

  it('finds the line and column of a multi-line expression', () => {
    const m = errorMarker('Mean(\n  $close,\n  x)', 18)
    expect(m.line).toBe(3)
    expect(m.col).toBe(3)
    expect(m.before + m.at + m.after).toBe('  x)')
    expect(m.at).toBe('x')
  })

  it('keeps a position inside the text', () => {
    expect(errorMarker('abc', 99).col).toBe(4)
    expect(errorMarker('abc', -3).col).toBe(1)
  })

  it('drops the parser’s "at N:" (the page says where)', () => {
    expect(errorText("at 13: expected ')' but found the end")).toBe("expected ')' but found the end")
    expect(errorText('unknown operator Foo')).toBe('unknown operator Foo')
  })
})

describe('horizons', () => {
  it('reads comma or space separated days, sorted, once each', () => {
    expect(parseHorizons('20, 1,5 10，5')).toEqual({ horizons: [1, 5, 10, 20], problem: null })
  })

  it('says what is wrong', () => {
    expect(parseHorizons(' ').problem).toBe('empty')
    expect(parseHorizons('0').problem).toBe('range')
    expect(parseHorizons('121').problem).toBe('range')
    expect(parseHorizons('1.5').problem).toBe('range')
    expect(parseHorizons('1,2,3,4,5,6,7').problem).toBe('count')
    expect(parseHorizons('1,2,3,4,5,6').problem).toBeNull()
  })
})

describe('series', () => {
  it('takes a trailing mean of the finite values once half the window has some', () => {
    expect(rollingMean([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5])
    expect(rollingMean([1, null, 3, null, null], 4)).toEqual([null, null, 2, 2, null])
    expect(rollingMean([], 20)).toEqual([])
  })

  it('recovers the daily spread from the compounded quantile curves', () => {
    // bottom: +1% then -1%; top: +2% then +3%; a middle quantile is ignored
    const bottom = [0.01, 1.01 * 0.99 - 1]
    const top = [0.02, 1.02 * 1.03 - 1]
    const ls = longShortCumulative([bottom, [0, 0], top])
    expect(ls[0]).toBeCloseTo(0.01, 12)
    expect(ls[1]).toBeCloseTo(1.01 * 1.04 - 1, 12)
    expect(longShortCumulative([bottom])).toEqual([])
  })

  it('counts a missing day as no return', () => {
    const ls = longShortCumulative([[0, null, 0], [0.01, null, 0.01]])
    expect(ls[1]).toBeCloseTo(0.01, 12)
    expect(ls[2]).toBeCloseTo(0.01, 12)
  })

  it('draws a sparkline in its box, with the zero line when the values cross it', () => {
    const s = sparkline([0.1, -0.1], 20, 10, 0)
    expect(s).toEqual({ points: '0.0,0.0 20.0,10.0', zero: 5 })
    expect(sparkline([0.1, 0.2], 20, 10, 0)?.zero).toBeNull()
    expect(sparkline([0.1, null], 20, 10)).toBeNull()
    // a shared range: a small curve stays small beside a large one
    expect(sparkline([0.05, 0.1], 20, 10, 0, [0.2])).toEqual({ points: '0.0,7.5 20.0,5.0', zero: null })
  })
})
