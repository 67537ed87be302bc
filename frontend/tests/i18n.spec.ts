import { describe, expect, it } from 'vitest'
import en from '@/i18n/en'
import zhCN from '@/i18n/zh-CN'

function keys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object') return [prefix]
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()
}

function leaves(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  if (typeof obj === 'string') out.set(prefix, obj)
  else if (obj && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj as Record<string, unknown>))
      for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv)
  return out
}

describe('message files', () => {
  it('zh-CN and en have the same keys', () => {
    const zh = keys(zhCN).sort()
    const e = keys(en).sort()
    expect(zh.filter((k) => !e.includes(k))).toEqual([])
    expect(e.filter((k) => !zh.includes(k))).toEqual([])
    expect(zh.length).toBeGreaterThan(40)
  })

  it('every message is non-empty text with the same placeholders in both languages', () => {
    const zh = leaves(zhCN)
    const e = leaves(en)
    for (const [k, v] of zh) {
      expect(typeof v, k).toBe('string')
      expect(v.trim().length, k).toBeGreaterThan(0)
      expect(placeholders(v), k).toEqual(placeholders(e.get(k) ?? ''))
    }
  })

  it('the Chinese file is in Chinese', () => {
    const zh = [...leaves(zhCN).values()]
    const han = zh.filter((v) => /[\u4e00-\u9fff]/.test(v)).length
    expect(han / zh.length).toBeGreaterThan(0.6)
  })
})
