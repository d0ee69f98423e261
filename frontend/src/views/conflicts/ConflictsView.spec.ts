import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { conflict, record } from '../../testing/fixtures'
import '../../testing/layout'

const api = vi.hoisted(() => ({ conflicts: vi.fn(), saveConflicts: vi.fn(), record: vi.fn(), showFile: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { useRecord } = await import('../../stores/record')
const { default: ConflictsView } = await import('./ConflictsView.vue')

let w: VueWrapper | null = null

describe('Conflicts view', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.conflicts.mockReset().mockResolvedValue({ total: 1, rows: [conflict], fields: ['familyName'] })
    api.saveConflicts.mockReset().mockResolvedValue('/home/registrar/Downloads/Roster conflicts.xlsx')
    api.record.mockReset().mockResolvedValue(record)
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('says what a conflict is when there is none', async () => {
    api.conflicts.mockResolvedValue({ total: 0, rows: [], fields: [] })
    w = mountInApp(ConflictsView)
    await flushPromises()
    expect(w.find('[data-testid="conflicts-empty"]').text()).toContain('A conflict is a field two or more sources fill with different values')
    expect(w.find('[data-testid="conflicts-export"]').attributes('disabled')).toBeDefined()
  })

  it('lists each source\'s value with the kept one highlighted, and opens the record on a click', async () => {
    w = mountInApp(ConflictsView)
    await vi.waitFor(() => expect(w!.find('[data-testid="conflict-row"]').exists()).toBe(true))
    const row = w.find('[data-testid="conflict-row"]')
    expect(row.text()).toContain('usr-000001')
    expect(row.text()).toContain('familyName')
    const values = row.findAll('[data-testid="conflict-value"]')
    expect(values.map((v) => [v.find('.n-tag').text(), v.find('.text').text(), v.attributes('data-kept')])).toEqual([
      ['Springfield SIS', 'Acosta', 'true'], ['District API', 'Acosta-Ruiz', 'false'],
    ])
    expect(values[0].find('.kept').text()).toBe('Acosta')
    expect(values[0].text()).toContain('(kept)')
    expect(values[1].find('.kept').exists()).toBe(false)
    await row.trigger('click')
    await flushPromises()
    expect(api.record).toHaveBeenCalledWith('users', 'usr-000001')
    expect(useRecord().view).toEqual(record)
  })

  it('searches as the registrar types and exports to Excel', async () => {
    vi.useFakeTimers()
    try {
      w = mountInApp(ConflictsView)
      await flushPromises()
      await w.find('[data-testid="conflicts-search"] input').setValue('acosta ')
      vi.advanceTimersByTime(300)
      expect(api.conflicts).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'acosta', offset: 0 }))
    } finally {
      vi.useRealTimers()
    }
    await flushPromises()
    await w.find('[data-testid="conflicts-export"]').trigger('click')
    await flushPromises()
    expect(api.saveConflicts).toHaveBeenCalledWith({ entity: '', field: '', search: 'acosta', offset: 0, limit: 0 })
    expect(w.find('[data-testid="saved-path"]').text()).toBe('/home/registrar/Downloads/Roster conflicts.xlsx')
  })
})
