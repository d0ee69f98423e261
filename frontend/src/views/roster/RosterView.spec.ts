import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { NSelect } from 'naive-ui'
import type { ConnectionCard, Job, Run } from '../../api/types'
import { card } from '../../testing/fixtures'

const sent: Run = {
  run: 12, connectionId: 2, connection: 'Vendor drop', direction: 'export', mode: 'records', operator: 'registrar', status: 'succeeded',
  startedAt: '2025-01-01T10:00:00Z', finishedAt: '2025-01-01T10:00:01Z', message: '',
  counts: { users: { created: 2, updated: 0, deleted: 0, unchanged: 0, failed: 0, skipped: 0 } },
}
const vendor: ConnectionCard = { ...card, id: 2, name: 'Vendor drop', role: 'target' }
const api = vi.hoisted(() => ({
  browse: vi.fn(), browseIds: vi.fn(), rosterCount: vi.fn(), saveView: vi.fn(), showFile: vi.fn(), filterChoices: vi.fn(), rosterCounts: vi.fn(), record: vi.fn(),
  connections: vi.fn(), workspace: vi.fn(), startSendRecords: vi.fn(), addOrgsToSelection: vi.fn(), job: vi.fn(), cancel: vi.fn(),
  onJob: (id: string, _progress: unknown, done: (j: Job) => void) => {
    queueMicrotask(() => done({ id, kind: 'send', status: 'succeeded', progress: { stage: '', done: 2, total: 2, unit: 'records', rate: 0 }, result: sent }))
    return () => {}
  },
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { useRoster, noFilter } = await import('../../stores/roster')
const { default: RosterView } = await import('./RosterView.vue')

let w: VueWrapper | null = null
// view is the query of the Users tab with no search, in sourcedId order.
const view = (filter = {}, more = {}) => ({ entity: 'users', search: '', filter: { ...noFilter(), ...filter }, match: {}, sort: '', desc: false, ...more })
const find = (id: string) => w!.find(`[data-testid="${id}"]`)
const body = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null
// choose picks an option of a Naive UI select the way a click on it does.
const choose = (testid: string, value: unknown) =>
  w!.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === testid)!.vm.$emit('update:value', value)

async function mountOn(entity: 'users' | 'orgs') {
  useRoster().entity = entity
  w = mountInApp(RosterView)
  await flushPromises()
}

describe('the roster browser\'s filters and bulk actions', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => typeof f === 'function' && 'mockReset' in f && f.mockReset())
    api.rosterCounts.mockResolvedValue({ active: { users: 3 }, deleted: {} })
    api.browse.mockResolvedValue({ columns: ['sourcedId', 'givenName'], total: 3, rows: [['usr-1', 'Ana'], ['usr-2', 'Bo'], ['usr-3', 'Cy']] })
    api.filterChoices.mockResolvedValue({ schools: [{ value: 'org-1', label: 'Lincoln High' }], grades: ['09', '10'], roles: ['student'], orgTypes: ['school'] })
    api.connections.mockResolvedValue([card, vendor])
    api.workspace.mockResolvedValue({ path: '/ws.db', connections: 2 })
    api.startSendRecords.mockResolvedValue('job-7')
    api.job.mockResolvedValue({ id: 'job-7', kind: 'send', status: 'running', progress: { stage: '', done: 0, total: 2, unit: 'records', rate: 0 } })
  })
  afterEach(() => {
    w?.unmount()
    w = null
    document.body.innerHTML = ''
  })

  it('filters users by school, ticks rows without opening them, selects all filtered, and clears', async () => {
    await mountOn('users')
    expect(w!.findAllComponents(NSelect).map((s) => s.attributes('data-testid')))
      .toEqual(['roster-filter-school', 'roster-filter-grade', 'roster-filter-status', 'roster-filter-role'])
    choose('roster-filter-school', 'org-1')
    await flushPromises()
    expect(api.browse).toHaveBeenLastCalledWith(view({ school: 'org-1' }), 0, 200)

    const ticks = w!.findAll('[data-testid="roster-tick"]')
    await ticks[1].trigger('click')
    expect(api.record).not.toHaveBeenCalled() // ticking is not opening
    expect(find('roster-ticked').text()).toBe('One ticked')

    api.browseIds.mockResolvedValue({ ids: ['usr-1', 'usr-2', 'usr-3'], total: 3 })
    expect(find('roster-tick-all').text()).toBe('Select all 3 filtered')
    await find('roster-tick-all').trigger('click')
    await flushPromises()
    expect(api.browseIds).toHaveBeenCalledWith(view({ school: 'org-1' }))
    expect(find('roster-ticked').text()).toBe('3 ticked')
    expect(w!.findAll('[data-testid="roster-tick"]').map((c) => c.attributes('aria-checked'))).toEqual(['true', 'true', 'true'])
    expect(find('roster-set-sync').exists()).toBe(false) // only on Orgs

    await find('roster-clear').trigger('click')
    expect(find('roster-ticked').text()).toBe('None ticked')
    expect(find('roster-send').attributes('disabled')).toBeDefined()
  })

  it('sends the ticked users to a chosen target and shows the run', async () => {
    await mountOn('users')
    api.browseIds.mockResolvedValue({ ids: ['usr-2', 'usr-1'], total: 2 })
    await find('roster-tick-all').trigger('click')
    await flushPromises()
    await find('roster-send').trigger('click')
    await flushPromises()
    // Only targets are offered.
    const targets = w!.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === 'send-target')!
    expect(targets.props('options')).toEqual([{ value: 2, label: 'Vendor drop' }])
    choose('send-target', 2)
    await flushPromises()
    expect(body('send-what')!.textContent!.trim()).toBe('2 users will be sent to Vendor drop, with the records they depend on.')
    body('send-start')!.click()
    await flushPromises()
    expect(api.startSendRecords).toHaveBeenCalledWith(2, 'users', ['usr-1', 'usr-2'])
    await vi.waitFor(() => expect(body('job-result')).not.toBeNull())
    expect(body('job-result')!.textContent).toContain('Run 12')
    expect(body('send-start')).toBeNull() // sent once: the dialog now only closes
  })

  it('Set sync connection says what it adds (and passes over) before saving, then adds the orgs', async () => {
    api.browse.mockResolvedValue({ columns: ['sourcedId', 'name'], total: 2, rows: [['org-1', 'Lincoln High'], ['org-2', 'Washington Middle']] })
    await mountOn('orgs')
    for (const t of w!.findAll('[data-testid="roster-tick"]')) await t.trigger('click')
    await find('roster-set-sync').trigger('click')
    await flushPromises()
    api.addOrgsToSelection.mockResolvedValue({ added: ['org-2'], already: ['org-1'], missing: ['org-9'], classes: 0 })
    choose('sync-connection-target', 2)
    await flushPromises()
    expect(api.addOrgsToSelection).toHaveBeenLastCalledWith(2, ['org-1', 'org-2'], true)
    expect(body('sync-connection-change')!.textContent).toContain('One org is added to what Vendor drop sends: org-2.')
    expect(body('sync-connection-change')!.textContent).toContain('Vendor drop sends one of these already: org-1.')
    expect(body('sync-connection-change')!.textContent).toContain('One is passed over, being deleted in the roster (or no longer in it): org-9.')
    expect(body('sync-connection-done')).toBeNull()
    body('sync-connection-confirm')!.click()
    await flushPromises()
    expect(api.addOrgsToSelection).toHaveBeenLastCalledWith(2, ['org-1', 'org-2'], false)
    expect(body('sync-connection-done')).not.toBeNull()
    expect(body('sync-connection-confirm')).toBeNull()
  })

  it('says so when the target sends every school already, and offers nothing to confirm', async () => {
    api.browse.mockResolvedValue({ columns: ['sourcedId', 'name'], total: 1, rows: [['org-1', 'Lincoln High']] })
    await mountOn('orgs')
    await w!.find('[data-testid="roster-tick"]').trigger('click')
    await find('roster-set-sync').trigger('click')
    await flushPromises()
    api.addOrgsToSelection.mockResolvedValue({ added: [], already: ['org-1'], missing: [], classes: 0 })
    choose('sync-connection-target', 2)
    await flushPromises()
    expect(body('sync-connection-change')!.textContent).toContain('Nothing to change: Vendor drop already sends these.')
    expect(body('sync-connection-confirm')).toBeNull()
  })

  it('says it is loading while a search is asked for, never "No records", then the count or no match', async () => {
    let answer: (page: unknown) => void = () => {}
    api.browse.mockImplementation(() => new Promise((resolve) => { answer = resolve }))
    const roster = useRoster()
    roster.entity = 'users'
    w = mountInApp(RosterView)
    await flushPromises()
    expect(find('roster-total').text()).toBe('Loading…')
    answer({ columns: ['sourcedId'], total: 0, rows: [] })
    await flushPromises()
    expect(find('roster-total').text()).toBe('No records. Import a source from the dashboard.')
    const search = roster.show('users', 'zz')
    await flushPromises()
    expect(find('roster-total').text()).toBe('Loading…')
    answer({ columns: ['sourcedId'], total: 0, rows: [] })
    await search
    await flushPromises()
    expect(find('roster-total').text()).toBe('No records match. Change the search or a filter.')
  })

  it('exports the view shown, with its column filters and order, and says where the file went', async () => {
    await mountOn('users')
    await find('roster-sort-givenName').trigger('click')
    await find('roster-match-givenName').find('input').setValue('an')
    await flushPromises()
    api.saveView.mockResolvedValue('/home/registrar/Downloads/Rosterdesk users 2026-12-01.xlsx')
    await find('roster-export').trigger('click')
    await flushPromises()
    body('roster-export-csv')!.click()
    await flushPromises()
    expect(api.saveView).toHaveBeenCalledWith(view({}, { match: { givenName: 'an' }, sort: 'givenName' }), 'csv')
    expect(find('saved-path').text()).toBe('/home/registrar/Downloads/Rosterdesk users 2026-12-01.xlsx')
  })

  it('shows the first rows while counting the rest, then the count', async () => {
    let counted: (n: number) => void = () => {}
    api.rosterCount.mockImplementation(() => new Promise((ok) => { counted = ok }))
    api.browse.mockResolvedValue({ columns: ['sourcedId'], total: -1, rows: Array.from({ length: 200 }, (_, i) => [`usr-${i}`]) })
    await mountOn('users')
    expect(find('roster-total').text()).toBe('Showing the first 200 records; counting the rest…')
    counted(135000)
    await flushPromises()
    expect(find('roster-total').text()).toBe('Records: 135,000')
  })

  it('says no record matches when a column filter leaves none', async () => {
    await mountOn('users')
    api.browse.mockResolvedValue({ columns: ['sourcedId', 'givenName'], total: 0, rows: [] })
    await find('roster-match-givenName').find('input').setValue('zz')
    await flushPromises()
    expect(find('roster-total').text()).toBe('No records match. Change the search or a filter.')
  })
})
