import { describe, expect, it, vi } from 'vitest'
import { openableRow } from './rows'

// row builds a <tr> with openableRow's props and a button inside it.
function row(open: () => void) {
  const props = openableRow(open, { 'data-testid': 'run-row' }) as Record<string, unknown>
  const tr = document.createElement('tr')
  tr.tabIndex = props.tabindex as number
  tr.addEventListener('keydown', props.onKeydown as EventListener)
  const button = tr.appendChild(document.createElement('button'))
  return { props, tr, button }
}
const press = (el: Element, key: string) => {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
  el.dispatchEvent(e)
  return e
}

describe('a row that opens something', () => {
  it('takes the focus and keeps its own attributes', () => {
    const { props } = row(() => {})
    expect(props.tabindex).toBe(0)
    expect(props['data-testid']).toBe('run-row')
    expect(props.class).toBe('openable-row')
  })

  it('opens with Enter or Space, and the key does not scroll the page', () => {
    const open = vi.fn()
    const { tr } = row(open)
    expect(press(tr, 'Enter').defaultPrevented).toBe(true)
    expect(press(tr, ' ').defaultPrevented).toBe(true)
    press(tr, 'a')
    expect(open).toHaveBeenCalledTimes(2)
  })

  it('leaves Enter on a button inside the row to that button', () => {
    const open = vi.fn()
    const { button } = row(open)
    expect(press(button, 'Enter').defaultPrevented).toBe(false)
    expect(open).not.toHaveBeenCalled()
  })
})
