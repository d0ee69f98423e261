import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { mountInApp } from '../../testing/mountInApp'
import ExpressionInput from './ExpressionInput.vue'

const helpers = [
  { name: 'upper', signature: 'upper(text)', help: 'The text in capitals.', example: 'upper(familyName)' },
  { name: 'lower', signature: 'lower(text)', help: 'The text in small letters.', example: '' },
]
let w: VueWrapper | null = null
const focused = () => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid')

describe('an expression with its helpers', () => {
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('is named for screen readers; its helpers open with the focus on the first, and Esc goes back to the Helpers button', async () => {
    w = mountInApp(ExpressionInput, { value: 'familyName', helpers, label: 'Source field or expression: familyName' })
    expect(w.find('textarea').attributes('aria-label')).toBe('Source field or expression: familyName')
    const trigger = w.find('[data-testid="field-helpers"]')
    expect(trigger.attributes('aria-expanded')).toBe('false')
    await trigger.trigger('click')
    await flushPromises()
    expect(focused()).toBe('helper-upper')
    expect(trigger.attributes('aria-expanded')).toBe('true')
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(focused()).toBe('field-helpers')
    expect(trigger.attributes('aria-expanded')).toBe('false')
  })
})
