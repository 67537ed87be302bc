// The dataset pages' pure helpers: the upload's query and mapping rows, the validation report as rows and per symbol
// for the chart, storage and change texts, lineage metrics.
import { describe, expect, it } from 'vitest'
import {
  acceptedFile,
  changeItems,
  checksOf,
  filterProblems,
  isFinal,
  keyMetric,
  KEY_METRICS,
  mappingParams,
  mb,
  omittedCount,
  problemRows,
  problemsBySymbol,
  splitList,
  storedParts,
  uploadQuery,
} from '@/utils/datasets'

const P = (check: string, symbol: string | null, count: number) => ({ check, symbol, count, message: `${check} ${symbol}`, first: '2024-01-02', last: '2024-01-05', dates: [] })

describe('upload', () => {
  it('accepts the endings the ingest reads', () => {
    for (const n of ['a.csv', 'A.CSV.GZ', 'x.parquet', 'b.zip', 'c.tar', 'd.tar.gz', 'e.tgz']) expect(acceptedFile(n), n).toBe(true)
    for (const n of ['a.xlsx', 'b.txt', 'csv', 'c.gz.txt']) expect(acceptedFile(n), n).toBe(false)
  })

  it('turns mapping rows into map=source:ours, skipping blank rows', () => {
    expect(mappingParams([{ source: ' trade_date ', target: 'date' }, { source: '', target: '' }, { source: 'vol', target: 'volume' }])).toEqual({
      params: ['trade_date:date', 'vol:volume'],
      problems: [],
    })
  })

  it('names incomplete, ambiguous and malformed mapping rows', () => {
    const { problems } = mappingParams([
      { source: 'a', target: '' },
      { source: 'x', target: 'close' },
      { source: 'x', target: 'open' },
      { source: 'y', target: 'close' },
      { source: 'p:q', target: 'high' },
    ])
    expect(problems).toEqual([
      { kind: 'incomplete', row: 1 },
      { kind: 'duplicateSource', source: 'x' },
      { kind: 'duplicateTarget', target: 'close' },
      { kind: 'badSource', row: 5 },
    ])
  })

  it('splits symbol lists on commas, spaces and Chinese commas', () => {
    expect(splitList(' SH000300, SH000905，SH000300  SZ399001 ')).toEqual(['SH000300', 'SH000905', 'SZ399001'])
    expect(splitList('')).toEqual([])
  })

  it('builds the query with repeated map and benchmark keys', () => {
    const q = new URLSearchParams(
      uploadQuery({ filename: 'bars.csv.gz', map: ['ts_code:symbol', 'vol:volume'], benchmarks: ['SH000300'], dateFormat: '%Y%m%d', market: 'csi300', prices: 'raw', description: '', append: true }),
    )
    expect(q.get('filename')).toBe('bars.csv.gz')
    expect(q.getAll('map')).toEqual(['ts_code:symbol', 'vol:volume'])
    expect(q.getAll('benchmark')).toEqual(['SH000300'])
    expect(q.get('date_format')).toBe('%Y%m%d')
    expect(q.get('market')).toBe('csi300')
    expect(q.get('prices')).toBe('raw')
    expect(q.has('description')).toBe(false)
    expect(q.get('append')).toBe('true')
    const plain = new URLSearchParams(uploadQuery({ filename: 'a.csv', map: [], benchmarks: [], dateFormat: ' ', market: '', prices: 'adjusted', description: 'x', append: false }))
    expect([...plain.keys()]).toEqual(['filename', 'prices', 'description', 'append'])
  })

  it('shows MB with one decimal', () => {
    expect(mb(0)).toBe('0.0')
    expect(mb(1.5 * 1024 * 1024)).toBe('1.5')
  })
})

describe('validation report', () => {
  const report = {
    rows: 10,
    instruments: 3,
    days: 5,
    errors: [P('high_low', 'SH600000', 2)],
    warnings: [P('missing_days', 'SH600000', 4), P('missing_days', 'SZ000001', 3), P('nan_ratio', null, 1), P('suspension', 'SZ000001', 0)],
    omitted: { 'warnings/missing_days': 7, 'errors/high_low': 2 },
  }

  it('lists errors then warnings with their level', () => {
    const rows = problemRows(report)
    expect(rows.map((r) => [r.level, r.check])).toEqual([
      ['errors', 'high_low'],
      ['warnings', 'missing_days'],
      ['warnings', 'missing_days'],
      ['warnings', 'nan_ratio'],
      ['warnings', 'suspension'],
    ])
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
    expect(problemRows(null)).toEqual([])
    expect(checksOf(rows)).toEqual(['high_low', 'missing_days', 'nan_ratio', 'suspension'])
  })

  it('filters by level, checks and a symbol search', () => {
    const rows = problemRows(report)
    expect(filterProblems(rows, { level: 'errors', checks: [], symbol: '' })).toHaveLength(1)
    expect(filterProblems(rows, { level: '', checks: ['missing_days'], symbol: '' })).toHaveLength(2)
    expect(filterProblems(rows, { level: 'warnings', checks: [], symbol: 'sz0' }).map((r) => r.check)).toEqual(['missing_days', 'suspension'])
  })

  it('counts what the cap left out, per level', () => {
    expect(omittedCount(report)).toBe(9)
    expect(omittedCount(report, 'warnings')).toBe(7)
    expect(omittedCount(undefined)).toBe(0)
  })

  it('stacks counts per symbol and check, the most problems last, market-wide under a label', () => {
    const c = problemsBySymbol([...report.errors, ...report.warnings], 30, 'MKT')
    // SH600000: 2 + 4 = 6; SZ000001: 3 + max(1, 0) = 4; MKT: 1
    expect(c.symbols).toEqual(['MKT', 'SZ000001', 'SH600000'])
    expect(c.series).toEqual([
      { check: 'high_low', data: [0, 0, 2] },
      { check: 'missing_days', data: [0, 3, 4] },
      { check: 'nan_ratio', data: [1, 0, 0] },
      { check: 'suspension', data: [0, 1, 0] },
    ])
    expect(c.more).toBe(0)
  })

  it('keeps the top n symbols', () => {
    const many = Array.from({ length: 40 }, (_, i) => P('missing_days', `S${String(i).padStart(2, '0')}`, i + 1))
    const c = problemsBySymbol(many, 30)
    expect(c.symbols).toHaveLength(30)
    expect(c.symbols[c.symbols.length - 1]).toBe('S39')
    expect(c.symbols[0]).toBe('S10')
    expect(c.more).toBe(10)
  })
})

describe('versions', () => {
  it('says what a version stored of its size', () => {
    expect(storedParts(16179, 370688)).toEqual({ stored: '15.8 KB', size: '362.0 KB' })
    expect(storedParts(null, 100)).toBeNull()
    expect(storedParts(0, 100)).toEqual({ stored: '0 B', size: '100 B' })
  })

  it('lists what changed, lists shortened', () => {
    const items = changeItems({
      added: 1,
      appended: 20,
      rewritten: 2,
      unchanged: 3,
      removed: 0,
      days_added: 21,
      first_new_day: '2024-12-02',
      instruments_added: ['A', 'B', 'C'],
      instruments_removed: [],
      markets_added: ['top10'],
    }, 2)
    expect(items).toEqual([
      { kind: 'days', n: 21, from: '2024-12-02' },
      { kind: 'instrumentsAdded', n: 3, list: 'A, B, …' },
      { kind: 'marketsAdded', n: 1, list: 'top10' },
      { kind: 'files', appended: 20, rewritten: 2, unchanged: 3, added: 1, removed: 0 },
    ])
    expect(changeItems(null)).toEqual([])
  })
})

describe('lineage', () => {
  it('finds IC, Rank IC and the annualised excess return with cost', () => {
    const m = { IC: 0.05, 'Rank IC': 0.04, '1day.excess_return_with_cost.annualized_return': 0.12, '1day.excess_return_without_cost.annualized_return': 0.2 }
    expect(KEY_METRICS.map((k) => keyMetric(m, k))).toEqual([
      { key: 'IC', value: 0.05 },
      { key: 'Rank IC', value: 0.04 },
      { key: '1day.excess_return_with_cost.annualized_return', value: 0.12 },
    ])
    expect(keyMetric({}, KEY_METRICS[0]!)).toBeNull()
  })

  it('knows the final states', () => {
    expect(['succeeded', 'failed', 'cancelled'].every(isFinal)).toBe(true)
    expect(isFinal('running') || isFinal('queued') || isFinal(undefined)).toBe(false)
  })
})
