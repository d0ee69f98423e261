import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Source } from '../../api/types'
import { heldRun } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ sources: vi.fn(), setPrecedence: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: SourcesList } = await import('./SourcesList.vue')

let saved: Source[]
let w: VueWrapper | null = null
const names = () => w!.findAll('[data-testid="source-name"]').map((n) => n.text())
const rows = () => w!.findAll('[data-testid="source-row"]')

describe('Settings → Sources', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    saved = [
      { id: 1, name: 'Springfield SIS', kind: 'oneroster-csv', kindLabel: 'OneRoster CSV (ZIP or folder)', precedence: 1, ids: 'shared' },
      { id: 2, name: 'District API', kind: 'oneroster-rest', kindLabel: 'OneRoster REST API', precedence: 2, ids: 'shared' },
      { id: 3, name: 'Nurse office sheet', kind: 'spreadsheet', kindLabel: 'Spreadsheet (Excel or CSV)', precedence: 3, ids: 'own' },
    ]
    api.sources.mockReset().mockImplementation(async () => saved)
    api.setPrecedence.mockReset().mockImplementation(async (ids: number[]) => {
      saved = ids.map((id, i) => ({ ...saved.find((s) => s.id === id)!, precedence: i + 1 }))
      return { ...heldRun, status: 'succeeded', message: `Order: ${saved.map((s) => s.name).join(', ')} first. 40 users updated.` }
    })
    w = mountInApp(SourcesList)
    await flushPromises()
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('lists the sources in precedence order and says what the order does', () => {
    expect(names()).toEqual(['Springfield SIS', 'District API', 'Nurse office sheet'])
    expect(w!.find('[data-testid="sources-hint"]').text()).toContain('For each field the roster keeps the value of the highest source that has one')
    expect(rows()[2].text()).toContain('its own IDs')
    expect(rows()[2].text()).toContain('Spreadsheet (Excel or CSV)')
    expect(rows()[0].find('[data-testid="source-up"]').attributes('disabled')).toBeDefined()
    // The button's name starts with the words it shows, then names the source.
    expect(rows()[1].find('[data-testid="source-down"]').attributes('aria-label')).toBe('Move down: District API')
    expect(rows()[2].find('[data-testid="source-down"]').attributes('disabled')).toBeDefined()
  })

  it('Move up saves the new order at once, says so, and keeps the keyboard on the row moved', async () => {
    await rows()[1].find('[data-testid="source-up"]').trigger('click')
    await flushPromises()
    expect(api.setPrecedence).toHaveBeenCalledWith([2, 1, 3])
    expect(names()).toEqual(['District API', 'Springfield SIS', 'Nurse office sheet'])
    await vi.waitFor(() => expect(document.body.textContent).toContain('Saved. Order: District API, Springfield SIS, Nurse office sheet first. 40 users updated.'))
    // At the top now: its Move up is disabled, so the keyboard stays on its Move down.
    expect(document.activeElement).toBe(rows()[0].find('[data-testid="source-down"]').element)
  })

  it('dropping a dragged source on another puts it there', async () => {
    const data = { setData: vi.fn(), effectAllowed: '' }
    await rows()[2].trigger('dragstart', { dataTransfer: data })
    await rows()[0].trigger('dragover')
    expect(rows()[0].classes()).toContain('over')
    await rows()[0].trigger('drop')
    await flushPromises()
    expect(api.setPrecedence).toHaveBeenCalledWith([3, 1, 2])
    expect(names()).toEqual(['Nurse office sheet', 'Springfield SIS', 'District API'])
  })

  it('dropping a source where it was saves nothing', async () => {
    await rows()[1].trigger('dragstart')
    await rows()[1].trigger('drop')
    await flushPromises()
    expect(api.setPrecedence).not.toHaveBeenCalled()
  })
})
