import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { mountInApp } from '../testing/mountInApp'
import PageButtons from './PageButtons.vue'

let w: VueWrapper | null = null
const pager = () => w!.findComponent(PageButtons)
const button = (testid: string) => w!.find(`[data-testid="${testid}"]`)
const number = () => w!.find('[data-testid="pager-number"] input')

describe('the page buttons', () => {
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('are real buttons: Previous is disabled on the first page, Next asks for the second', async () => {
    w = mountInApp(PageButtons, { page: 1, pageSize: 50, total: 1234 })
    expect(button('pager-previous').element.tagName).toBe('BUTTON')
    expect(button('pager-previous').attributes('disabled')).toBeDefined()
    expect(w.text()).toContain('of 25')
    expect(number().attributes('aria-label')).toBe('Page number, 1 to 25')
    await button('pager-next').trigger('click')
    expect(pager().emitted('update:page')).toEqual([[2]])
  })

  it('go to the page typed on Enter, the last one for a number past it, and put back the current one when the box is emptied', async () => {
    w = mountInApp(PageButtons, { page: 3, pageSize: 50, total: 1234 })
    await number().setValue('7')
    await number().trigger('keydown', { key: 'Enter' })
    expect(pager().emitted('update:page')).toEqual([[7]])
    await number().setValue('99')
    await number().trigger('keydown', { key: 'Enter' })
    expect(pager().emitted('update:page')!.at(-1)).toEqual([25])
    const asked = pager().emitted('update:page')!.length
    await number().setValue('')
    await number().trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(pager().emitted('update:page')).toHaveLength(asked)
    expect((number().element as HTMLInputElement).value).toBe('3')
  })

  it('are not shown for a single page', () => {
    w = mountInApp(PageButtons, { page: 1, pageSize: 50, total: 50 })
    expect(button('pager').exists()).toBe(false)
  })
})
