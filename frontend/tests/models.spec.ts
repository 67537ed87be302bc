// The model registry helpers: aliases in reading order, alias and name checks, the name filter, which policy guards
// an alias (the model's own first), a policy's bounds, a decision's failed checks and the newest on an alias, which
// run may be registered, what a history event says, and the bounded fan-out of version reads.
import { describe, expect, it } from 'vitest'
import {
  aliasList,
  aliasProblem,
  beatsMetric,
  eventDetail,
  failedChecks,
  filterModels,
  guardingPolicy,
  latestDecision,
  mapLimited,
  policiesOfModel,
  policyBounds,
  registrable,
  validModelName,
  type DecisionRead,
  type PolicyRead,
} from '@/utils/models'

function policy(name: string, model: string | null, aliases: string[], thresholds: PolicyRead['thresholds'] = {}): PolicyRead {
  return { id: 1, name, description: '', model_name: model, aliases, thresholds, beats_champion: null, created_at: '', updated_at: '' }
}

function decision(id: number, alias: string, checks: [string, boolean][]): DecisionRead {
  return {
    id, model_name: 'm', version: 1, alias, policy_name: 'p', policy_snapshot: {}, passed: checks.every(([, p]) => p),
    outcome: 'refused', metrics: {}, champion: null, override_reason: null, note: '', username: 'u', created_at: '',
    checks: checks.map(([check, passed]) => ({ check, metric: 'Rank IC', value: 0.01, threshold: 0.02, passed, reason: check })),
  }
}

describe('aliases and names', () => {
  it('lists champion, challenger, then the rest by name', () => {
    expect(aliasList({ zeta: 1, challenger: 3, alpha: 2, champion: 4 })).toEqual([
      { alias: 'champion', version: 4 }, { alias: 'challenger', version: 3 }, { alias: 'alpha', version: 2 }, { alias: 'zeta', version: 1 },
    ])
    expect(aliasList({})).toEqual([])
  })

  it('refuses what MLflow reserves or cannot hold', () => {
    expect(aliasProblem('champion')).toBeNull()
    expect(aliasProblem(' shadow-2 ')).toBeNull()
    expect(aliasProblem('')).toBe('empty')
    expect(aliasProblem('2nd')).toBe('pattern')
    expect(aliasProblem('冠军')).toBe('pattern')
    expect(aliasProblem('latest')).toBe('reserved')
    expect(aliasProblem('V12')).toBe('reserved')
    expect(aliasProblem('v1x')).toBeNull()
  })

  it('checks model names as the API does', () => {
    expect(validModelName('alpha.lgb_v2-x')).toBe(true)
    expect(validModelName('-x')).toBe(false)
    expect(validModelName('a/b')).toBe(false)
    expect(validModelName('a'.repeat(129))).toBe(false)
  })

  it('filters models by name, case-insensitive, sorted', () => {
    const ms = [{ name: 'b-LGB' }, { name: 'a-lgb' }, { name: 'mlp' }]
    expect(filterModels(ms, ' lgb ').map((m) => m.name)).toEqual(['a-lgb', 'b-LGB'])
    expect(filterModels(ms, '').map((m) => m.name)).toEqual(['a-lgb', 'b-LGB', 'mlp'])
  })
})

describe('policies', () => {
  const global = policy('house', null, ['champion', 'prod'])
  const own = policy('strict', 'm', ['champion'])
  const other = policy('theirs', 'n', ['challenger'])

  it('a model’s own guard wins over one for every model', () => {
    expect(guardingPolicy([global, own, other], 'm', 'champion')?.name).toBe('strict')
    expect(guardingPolicy([global, own, other], 'x', 'champion')?.name).toBe('house')
    expect(guardingPolicy([global, own, other], 'm', 'prod')?.name).toBe('house')
    expect(guardingPolicy([global, own, other], 'm', 'challenger')).toBeNull()
  })

  it('the policies named by a model’s guards, its own first', () => {
    const guards = [{ alias: 'champion', policy: 'strict' }, { alias: 'prod', policy: 'house' }]
    expect(policiesOfModel([global, other, own], 'm', guards).map((p) => p.name)).toEqual(['strict', 'house'])
    expect(policiesOfModel([global, other, own], 'm', [])).toEqual([])
  })

  it('bounds in reading order, a drawdown depth as the least value it passes', () => {
    const p = policy('p', null, ['champion'], { max_drawdown: 0.15, min_rank_ic: 0.02, min_ic: null })
    expect(policyBounds(p)).toEqual([
      { key: 'min_rank_ic', metric: 'Rank IC', bound: 0.02 },
      { key: 'max_drawdown', metric: '1day.excess_return_with_cost.max_drawdown', bound: -0.15 },
    ])
    expect(beatsMetric('rank_ic')).toBe('Rank IC')
    expect(beatsMetric('max_drawdown')).toBe('1day.excess_return_with_cost.max_drawdown')
    expect(beatsMetric('excess_return')).toBe('1day.excess_return_with_cost.annualized_return')
  })
})

describe('decisions and history', () => {
  it('the failed checks, and the newest decision on an alias', () => {
    const d1 = decision(3, 'champion', [['min_ic', true], ['min_rank_ic', false], ['max_drawdown', false]])
    expect(failedChecks(d1).map((c) => c.check)).toEqual(['min_rank_ic', 'max_drawdown'])
    const d2 = decision(7, 'champion', [['min_ic', true]])
    const d3 = decision(9, 'challenger', [])
    expect(latestDecision([d3, d1, d2], 'champion')?.id).toBe(7)
    expect(latestDecision([d3], 'champion')).toBeNull()
  })

  it('what an event says besides who and when', () => {
    expect(eventDetail({ action: 'override', version: 2, details: { reason: 'desk asked', failed: 'x' } })).toBe('desk asked')
    expect(eventDetail({ action: 'promotion_refused', version: 2, details: { failed: 'Rank IC 0.01 < 0.02', note: '' } })).toBe('Rank IC 0.01 < 0.02')
    expect(eventDetail({ action: 'registered', version: 1, details: { run_id: 'abc', dataset: 'demo@v1' } })).toBe('abc · demo@v1')
    expect(eventDetail({ action: 'alias_set', version: 3, details: { previous_version: 2 } })).toBe('v2 → v3')
    expect(eventDetail({ action: 'alias_set', version: 1, details: { previous_version: null } })).toBe('')
    expect(eventDetail({ action: 'policy_created', version: null, details: {} })).toBe('')
  })

  it('only a finished run of a succeeded workflow job may be registered', () => {
    expect(registrable('FINISHED', { kind: 'workflow', state: 'succeeded' })).toBe(true)
    expect(registrable('RUNNING', { kind: 'workflow', state: 'succeeded' })).toBe(false)
    expect(registrable('FINISHED', { kind: 'factor_eval', state: 'succeeded' })).toBe(false)
    expect(registrable('FINISHED', { kind: 'workflow', state: 'failed' })).toBe(false)
    expect(registrable('FINISHED', null)).toBe(false)
  })
})

describe('mapLimited', () => {
  it('keeps the order and never runs more than its width at once', async () => {
    let running = 0
    let peak = 0
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, n))
      running--
      return n * 10
    })
    expect(out).toEqual([50, 10, 40, 20, 30])
    expect(peak).toBe(2)
    expect(await mapLimited([], 3, async (n: number) => n)).toEqual([])
  })
})

describe('messages', () => {
  it('every models message formats in both languages (an @ is a literal, not a linked message)', async () => {
    const { i18n, messages } = await import('@/i18n')
    const params = { alias: 'champion', version: 2, name: 'm', n: 3, id: 7, policy: 'p', metric: 'IC', margin: '0.01', user: 'u', when: 'w' }
    for (const locale of ['zh-CN', 'en'] as const) {
      i18n.global.locale.value = locale
      const walk = (obj: unknown, prefix: string): void => {
        if (typeof obj === 'string') {
          const out = i18n.global.t(prefix, params)
          expect(out, prefix).not.toMatch(/[{}]/)
          if (obj.includes("{'@'}")) expect(out, prefix).toContain('@champion')
        } else if (obj && typeof obj === 'object') {
          for (const [k, v] of Object.entries(obj)) walk(v, `${prefix}.${k}`)
        }
      }
      walk(messages[locale].models, 'models')
    }
    i18n.global.locale.value = 'en'
    expect(i18n.global.t('models.promote.promoted', { version: 1, alias: 'champion' })).toBe('Version 1 is now @champion')
  })
})
