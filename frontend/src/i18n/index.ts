// vue-i18n set up with every domain's messages in zh-CN (the default) and en; each domain keeps its own file pair.
import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: Locale[] = ['zh-CN', 'en']
export type MessageSchema = typeof zhCN

const saved = globalThis.localStorage?.getItem('qlp.locale')
export const initialLocale: Locale = saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN'

export const messages: Record<Locale, MessageSchema> = { 'zh-CN': zhCN, en }

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale,
  fallbackLocale: 'en',
  messages,
  missingWarn: false,
  fallbackWarn: false,
})
