// YamlEditor: given errors appear in the list with line and column and as lint diagnostics on their line.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import YamlEditor from '@/components/YamlEditor.vue'
import { i18n } from '@/i18n'

const TEXT = 'qlib_init:\n  region: cn\ntask:\n  model:\n    class: NoSuchModel\n'

describe('YamlEditor', () => {
  it('lists the errors with line and column and marks them as diagnostics', async () => {
    i18n.global.locale.value = 'en'
    const errors = [
      { message: 'class NoSuchModel is not allowed', line: 5, column: 12, path: 'task.model.class' },
      { message: 'task.dataset is required', line: null, column: null, path: 'task.dataset' },
    ]
    const w = mount(YamlEditor, { props: { modelValue: TEXT, errors }, global: { plugins: [i18n] }, attachTo: document.body })
    await nextTick()
    const items = w.findAll('[data-testid="editor-error"]')
    expect(items).toHaveLength(2)
    expect(items[0]?.text()).toBe('line 5, col 12: class NoSuchModel is not allowed')
    expect(items[0]?.attributes('data-line')).toBe('5')
    expect(items[1]?.text()).toContain('task.dataset is required')

    const vm = w.vm as unknown as { diagnostics(): { line: number; message: string; from: number }[] }
    const diags = vm.diagnostics()
    expect(diags).toHaveLength(1) // the one without a position is listed only
    expect(diags[0]?.line).toBe(5)
    expect(diags[0]?.message).toBe('class NoSuchModel is not allowed')
    expect(diags[0]?.from).toBe(TEXT.indexOf('NoSuchModel'))

    await w.setProps({ errors: [] })
    expect(w.findAll('[data-testid="editor-error"]')).toHaveLength(0)
    expect(vm.diagnostics()).toHaveLength(0)
    w.unmount()
  })

  it('shows the text, emits edits and takes text set from outside', async () => {
    const w = mount(YamlEditor, { props: { modelValue: TEXT }, global: { plugins: [i18n] }, attachTo: document.body })
    await nextTick()
    expect(w.get('.cm-content').text()).toContain('NoSuchModel')
    await w.setProps({ modelValue: 'market: demo\n' })
    expect(w.get('.cm-content').text()).toContain('market: demo')
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual(['market: demo\n'])
    w.unmount()
  })

  it('writes positions in Chinese in zh-CN', async () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(YamlEditor, {
      props: { modelValue: TEXT, errors: [{ message: 'bad', line: 2, column: 3 }] },
      global: { plugins: [i18n] },
    })
    await nextTick()
    expect(w.get('[data-testid="editor-error"]').text()).toBe('第 2 行，第 3 列： bad')
    w.unmount()
  })
})
