import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { nextTick, ref } from 'vue'
import UiButton from './UiButton.vue'
import UiCard from './UiCard.vue'
import UiProgress from './UiProgress.vue'
import UiTag from './UiTag.vue'
import { cssVars, followDark, naiveTheme } from './palette'

describe('the plain elements of the first screen', () => {
  it('a button passes its clicks and attributes on, and takes none while loading (still focusable) or disabled', async () => {
    const clicks: string[] = []
    const w = mount({
      components: { UiButton },
      data: () => ({ loading: false, disabled: false }),
      template: `<div>
        <UiButton size="tiny" type="error" quaternary data-testid="b" aria-label="Remove District" :loading="loading" :disabled="disabled" @click="$emit('x')">Remove</UiButton>
      </div>`,
      emits: ['x'],
    }, { attrs: { onX: () => clicks.push('click') } })
    const b = w.find('[data-testid="b"]')
    expect(b.element.tagName).toBe('BUTTON')
    expect(b.attributes('type')).toBe('button') // never submits a form it sits in
    expect(b.attributes('aria-label')).toBe('Remove District')
    expect(b.classes()).toEqual(expect.arrayContaining(['tiny', 'error', 'quaternary']))
    await b.trigger('click')
    expect(clicks).toEqual(['click'])

    await w.setData({ loading: true })
    expect(b.attributes('disabled')).toBeUndefined() // focus stays where the keyboard left it
    expect(b.attributes('aria-disabled')).toBe('true')
    expect(b.attributes('aria-busy')).toBe('true')
    expect(b.find('.spinner').exists()).toBe(true)
    await b.trigger('click')
    expect(clicks).toEqual(['click'])
    await w.setData({ loading: false, disabled: true })
    expect(b.attributes('disabled')).toBeDefined()
    await b.trigger('click')
    expect(clicks).toEqual(['click'])
    expect(b.attributes('aria-busy')).toBeUndefined()
    expect(b.find('.spinner').exists()).toBe(false)
  })

  it('a tag and a card show their content, the card its actions on a band of their own', () => {
    const tag = mount(UiTag, { props: { type: 'success' }, slots: { default: 'works' } })
    expect(tag.classes()).toContain('success')
    expect(tag.text()).toBe('works')
    const card = mount(UiCard, { slots: { default: 'District', action: '<button>Fetch</button>' } })
    expect(card.find('.content').text()).toBe('District')
    expect(card.find('.action button').text()).toBe('Fetch')
    expect(mount(UiCard, { slots: { default: 'x' } }).find('.action').exists()).toBe(false)
  })
})

describe('the progress bar', () => {
  it('says how far a job is to assistive technology, and moves its fill by a transform, never by its width', async () => {
    const w = mount(UiProgress, { props: { percentage: 42.4, label: 'Planning' }, attrs: { 'data-testid': 'p' } })
    const bar = w.find('[data-testid="p"]')
    expect(bar.attributes('role')).toBe('progressbar')
    expect(bar.attributes('aria-label')).toBe('Planning')
    expect(bar.attributes('aria-valuenow')).toBe('42')
    const fill = w.find('.fill').element as HTMLElement
    expect(fill.style.transform).toBe('translateX(-58%)')
    expect(fill.style.width + fill.style.maxWidth).toBe('') // a width would be laid out again on every frame
    expect(w.find('.indicator').exists()).toBe(false)
    await w.setProps({ percentage: 140, indicator: true })
    expect(bar.attributes('aria-valuenow')).toBe('100')
    expect(fill.style.transform).toBe('translateX(0%)')
    expect(w.find('.indicator').text()).toBe('100%')
    await w.setProps({ percentage: -3 })
    expect(bar.attributes('aria-valuenow')).toBe('0')
  })
})

describe('the palette', () => {
  const want = ref(false)
  afterEach(() => (want.value = false))

  it('gives the plain elements the theme Naive UI gets: light with its darker colours, then dark once loaded', async () => {
    followDark(want)
    await flushPromises()
    expect(cssVars.value['--primary']).toBe('#0c7a43') // the light override (AA on white), not Naive UI's #18a058
    expect(cssVars.value['--success-tag']).toBe('#075e33')
    expect(cssVars.value['--body']).toBe('#fff')
    expect(naiveTheme.value.theme).toBeNull()
    expect(naiveTheme.value.themeOverrides.common?.primaryColor).toBe('#0c7a43')

    want.value = true
    await vi.waitFor(() => expect(naiveTheme.value.theme).not.toBeNull()) // the dark theme's script
    const dark = naiveTheme.value.theme
    expect(dark?.name).toBe('dark')
    expect(cssVars.value['--primary']).toBe(dark?.common?.primaryColor)
    expect(cssVars.value['--body']).toBe(dark?.common?.bodyColor)
    expect(cssVars.value['--success-tag']).toBe(dark?.common?.successColor) // on a dark tint, the colour itself

    want.value = false
    await nextTick()
    expect(cssVars.value['--primary']).toBe('#0c7a43')
  })
})
