import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { record } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ browse: vi.fn(), record: vi.fn() }))
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
})
