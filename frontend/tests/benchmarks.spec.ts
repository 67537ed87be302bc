// The leaderboard helpers: cells, best per column (max drawdown closest to 0, ties, too few), sorting by a column's
// mean (missing last), quartiles as numpy computes them, and the box plot's rows from the runs' metrics.
import { describe, expect, it } from 'vitest'
import {
  bestPerColumn,
  boxPoints,
  boxRows,
  cellParts,
  cellText,
  fiveNumbers,
  isActive,
  progress,
  quantile,
  sortEntries,
  succeeded,
  type BenchmarkEntry,
  type BenchmarkRun,
  type Spread,
} from '@/utils/benchmarks'

const DD = '1day.excess_return_with_cost.max_drawdown'
const RET = '1day.excess_return_with_cost.annualized_return'

function spread(mean: number | null, std: number | null = 0.001): Spread {
  return { n: mean === null ? 0 : 3, mean, std: mean === null ? null : std, min: mean, max: mean }
}

function run(seed: number, metrics: Record<string, number>, state = 'succeeded'): BenchmarkRun {
  return { job_id: 100 + seed, seed, state, mlflow_run_id: null, metrics }
}

function entry(index: number, name: string, columns: Record<string, Spread>, runs: BenchmarkRun[] = []): BenchmarkEntry {
  const states: Record<string, number> = {}
  for (const r of runs) states[r.state] = (states[r.state] ?? 0) + 1
  return { index, name, model: 'LGBModel', config_hash: 'h', seed_path: 'task.model.kwargs.seed', states, columns, runs }
}

describe('cells', () => {
  it('shows mean ± std to 4 decimals, the mean alone below two runs, a dash without one', () => {
    expect(cellText(spread(0.04483, 0.00121))).toBe('0.0448 ± 0.0012')
    expect(cellText(spread(-0.12345, 0.0234))).toBe('-0.1235 ± 0.0234')
    expect(cellText({ n: 1, mean: 0.5, std: null, min: 0.5, max: 0.5 })).toBe('0.5000')
    expect(cellText(spread(null))).toBe('—')
    expect(cellText(undefined)).toBe('—')
  })

  it('splits a cell into the mean and its "± std", which read together as the cell', () => {
    for (const s of [spread(0.04483, 0.00121), { n: 1, mean: 0.5, std: null, min: 0.5, max: 0.5 }, spread(null)]) {
      const p = cellParts(s)
      expect(p.std === null ? p.mean : `${p.mean} ${p.std}`).toBe(cellText(s))
    }
    expect(cellParts(spread(-0.12345, 0.0234))).toEqual({ mean: '-0.1235', std: '± 0.0234' })
  })
})

describe('best per column', () => {
  const entries = [
    entry(0, 'a', { IC: spread(0.03), 'Rank IC': spread(0.05), [DD]: spread(-0.2), [RET]: spread(0.1) }),
    entry(1, 'b', { IC: spread(0.04), 'Rank IC': spread(0.05), [DD]: spread(-0.05), [RET]: spread(-0.3) }),
    entry(2, 'c', { IC: spread(null), 'Rank IC': spread(0.01), [DD]: spread(-0.1), [RET]: spread(0.1) }),
  ]

  it('marks the highest mean, and for max drawdown the one closest to 0', () => {
    const best = bestPerColumn(entries, ['IC', DD])
    expect(best.IC).toEqual([1])
    expect(best[DD]).toEqual([1])
  })

  it('marks every entry that ties, none when all are equal or fewer than two have a mean', () => {
    expect(bestPerColumn(entries, ['Rank IC'])['Rank IC']).toEqual([0, 1])
    expect(bestPerColumn(entries, [RET])[RET]).toEqual([0, 2])
    const equal = [entry(0, 'a', { IC: spread(0.02) }), entry(1, 'b', { IC: spread(0.02) })]
    expect(bestPerColumn(equal, ['IC']).IC).toEqual([])
    expect(bestPerColumn([entries[0] as BenchmarkEntry], ['IC']).IC).toEqual([])
    expect(bestPerColumn(entries, ['ICIR']).ICIR).toEqual([])
  })

  it('a drawdown closest to 0 wins even when a positive value were reported', () => {
    const es = [entry(0, 'a', { [DD]: spread(-0.01) }), entry(1, 'b', { [DD]: spread(0.2) }), entry(2, 'c', { [DD]: spread(-0.3) })]
    expect(bestPerColumn(es, [DD])[DD]).toEqual([0])
  })
})

describe('sorting by a column', () => {
  const entries = [
    entry(0, 'a', { IC: spread(0.03) }),
    entry(1, 'b', { IC: spread(null) }),
    entry(2, 'c', { IC: spread(0.05) }),
    entry(3, 'd', { IC: spread(0.01) }),
  ]
  const names = (es: BenchmarkEntry[]) => es.map((e) => e.name)

  it('orders by the mean, missing means last either way', () => {
    expect(names(sortEntries(entries, 'IC', 'desc'))).toEqual(['c', 'a', 'd', 'b'])
    expect(names(sortEntries(entries, 'IC', 'asc'))).toEqual(['d', 'a', 'c', 'b'])
  })

  it('keeps the API order without a column and does not touch its input', () => {
    const shuffled = [entries[2], entries[0], entries[3], entries[1]] as BenchmarkEntry[]
    expect(names(sortEntries(shuffled, null))).toEqual(['a', 'b', 'c', 'd'])
    expect(names(shuffled)).toEqual(['c', 'a', 'd', 'b'])
  })
})

describe('quartiles', () => {
  it('interpolates linearly like numpy.quantile', () => {
    // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) == [1.75, 2.5, 3.25]
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12)
    expect(quantile([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12)
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12)
    expect(quantile([7], 0.3)).toBe(7)
    expect(Number.isNaN(quantile([], 0.5))).toBe(true)
  })

  it('gives min, Q1, median, Q3, max of the finite values in any order', () => {
    expect(fiveNumbers([0.03, 0.01, Number.NaN, 0.02])).toEqual([0.01, 0.015, 0.02, 0.025, 0.03].map((v) => expect.closeTo(v, 12)))
    expect(fiveNumbers([5, 1, 3, 2, 4])).toEqual([1, 2, 3, 4, 5])
    expect(fiveNumbers([])).toBeNull()
  })
})

describe('box plot rows', () => {
  const entries = [
    entry(1, 'wide', {}, [run(0, { IC: 0.02 }), run(1, { IC: 0.04 }), run(2, { IC: 0.03 })]),
    entry(0, 'small', {}, [run(0, { IC: 0.01 }), run(1, { IC: 0.05 }, 'failed'), run(2, { 'Rank IC': 0.2 }), run(3, { IC: 0.03 })]),
    entry(2, 'none', {}, [run(0, {}, 'cancelled')]),
  ]

  it('one box per config in the API order, from the succeeded runs that have the metric', () => {
    const rows = boxRows(entries, 'IC')
    expect(rows.map((r) => r.name)).toEqual(['small', 'wide', 'none'])
    expect(rows[0]?.points).toEqual([{ seed: 0, value: 0.01 }, { seed: 3, value: 0.03 }])
    expect(rows[0]?.box).toEqual([0.01, 0.015, 0.02, 0.025, 0.03].map((v) => expect.closeTo(v, 12)))
    expect(rows[1]?.box).toEqual([0.02, 0.025, 0.03, 0.035, 0.04].map((v) => expect.closeTo(v, 12)))
    expect(rows[2]?.box).toBeNull()
    expect(boxPoints(rows)).toBe(5)
  })

  it('counts succeeded runs of all', () => {
    expect(succeeded(entries[1] as BenchmarkEntry)).toEqual({ done: 3, total: 4 })
  })
})

describe('state and progress', () => {
  it('is active while queued or running; progress in percent of ended jobs', () => {
    expect(['queued', 'running', 'succeeded', 'partial', 'failed'].map((state) => isActive({ state }))).toEqual([true, true, false, false, false])
    expect(isActive(null)).toBe(false)
    expect(progress({ jobs_done: 2, jobs_total: 6 })).toBe(33)
    expect(progress({ jobs_done: 0, jobs_total: 0 })).toBe(0)
  })
})
