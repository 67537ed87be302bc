// The user's display preferences: language and the up/down colour convention (red-up is the Chinese one),
// kept in localStorage (no secrets there) and applied to vue-i18n, Element Plus and the CSS variables.
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { i18n, initialLocale, type Locale } from '@/i18n'

export type Convention = 'red-up' | 'green-up'
const RED = '#d9363e'
const GREEN = '#1a9a5a'

function savedConvention(locale: Locale): Convention {
  const v = globalThis.localStorage?.getItem('qlp.colors')
  if (v === 'red-up' || v === 'green-up') return v
  return locale === 'zh-CN' ? 'red-up' : 'green-up'
}

export const usePrefs = defineStore('prefs', () => {
  const locale = ref<Locale>(initialLocale)
  const convention = ref<Convention>(savedConvention(initialLocale))

  function apply(): void {
    i18n.global.locale.value = locale.value
    document.documentElement.lang = locale.value
    const up = convention.value === 'red-up' ? RED : GREEN
    const down = convention.value === 'red-up' ? GREEN : RED
    document.documentElement.style.setProperty('--qlp-up', up)
    document.documentElement.style.setProperty('--qlp-down', down)
  }

  watch([locale, convention], () => {
    localStorage.setItem('qlp.locale', locale.value)
    localStorage.setItem('qlp.colors', convention.value)
    apply()
  })
  apply()

  /** The colours of a rise and a fall, for charts (ECharts takes colours, not CSS variables). */
  function colors(): { up: string; down: string } {
    return convention.value === 'red-up' ? { up: RED, down: GREEN } : { up: GREEN, down: RED }
  }

  return { locale, convention, colors }
})
