import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { record } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ browse: vi.fn(), rosterCount: vi.fn(), record: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { useRoster } = await import('../../stores/roster')
const { useRecord } = await import('../../stores/record')
const { default: RosterTable } = await import('./RosterTable.vue')

let w: VueWrapper | null = null

describe('the roster browser', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.browse.mockReset().mockResolvedValue({ columns: ['sourcedId', 'givenName'], total: 2, rows: [['usr-000001', 'Theo'], ['usr-000002', 'Eleanor']] })
    api.record.mockReset().mockResolvedValue(record)
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('opens the record of the row clicked, by its roster ID', async () => {
    await useRoster().show('users', '')
    w = mountInApp(RosterTable)
    await flushPromises()
    const rows = w.findAll('[data-testid="roster-row"]')
    expect(rows.map((r) => r.text())).toEqual(['usr-000001Theo', 'usr-000002Eleanor'])
    await rows[1].trigger('click')
    await flushPromises()
    expect(api.record).toHaveBeenCalledWith('users', 'usr-000002')
    expect(useRecord().open).toBe(true)
  })

  it('opens a row with Enter, as a keyboard user reaches it', async () => {
    await useRoster().show('users', '')
    w = mountInApp(RosterTable)
    await flushPromises()
    await w.findAll('[data-testid="roster-row"]')[0].trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(api.record).toHaveBeenCalledWith('users', 'usr-000001')
  })

  it('sorts by the header clicked and says so to screen readers; resizes a column by its edge with the arrows', async () => {
    const roster = useRoster()
    await roster.show('users', '')
    w = mountInApp(RosterTable)
    await flushPromises()
    const head = (c: string) => w!.find(`[data-testid="roster-head-${c}"]`)
    expect([head('sourcedId').attributes('aria-sort'), head('givenName').attributes('aria-sort')]).toEqual(['ascending', 'none'])
    await w.find('[data-testid="roster-sort-givenName"]').trigger('click')
    await flushPromises()
    expect(api.browse).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'givenName', desc: false }), 0, 200)
    expect([head('sourcedId').attributes('aria-sort'), head('givenName').attributes('aria-sort')]).toEqual(['none', 'ascending'])
    await w.find('[data-testid="roster-sort-givenName"]').trigger('click')
    await flushPromises()
    expect(head('givenName').attributes('aria-sort')).toBe('descending')
    expect(head('givenName').text()).toBe('givenName') // the header's text stays the field's name

    const grip = w.find('[data-testid="roster-resize-givenName"]')
    const before = Number(grip.attributes('aria-valuenow'))
    await grip.trigger('keydown', { key: 'ArrowRight' })
    await grip.trigger('keydown', { key: 'ArrowRight' })
    expect(Number(grip.attributes('aria-valuenow'))).toBe(before + 40)
    expect(w.find('.row.head').attributes('style')).toContain(`${before + 40}px`)
  })
})
