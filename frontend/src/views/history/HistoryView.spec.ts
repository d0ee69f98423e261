import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import '../../testing/layout' // before naive-ui, so the virtual table draws its rows
import { NDatePicker, NInput, NSelect } from 'naive-ui'
import type { Run } from '../../api/types'
import { card, heldRun } from '../../testing/fixtures'

const api = vi.hoisted(() => ({
  findRuns: vi.fn(), connections: vi.fn(), workspace: vi.fn(), run: vi.fn(), runRecords: vi.fn(), recordChoices: vi.fn(), clearPreview: vi.fn(), clearHistory: vi.fn(),
  me: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: HistoryView } = await import('./HistoryView.vue')

let w: VueWrapper | null = null
const select = (testid: string) => w!.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === testid)!

describe('the history', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.findRuns.mockReset().mockResolvedValue([heldRun as Run])
    api.connections.mockResolvedValue([card])
    api.workspace.mockResolvedValue({ path: '' })
    api.runRecords.mockReset().mockResolvedValue({ records: [], total: 0 })
    api.recordChoices.mockResolvedValue({ entities: [], actions: [], statuses: [] })
    api.me.mockReset().mockResolvedValue(undefined)
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('filters by connection, direction and result, searches a run or record ID, and says when nothing matches', async () => {
    w = mountInApp(HistoryView)
    await flushPromises()
    expect(api.findRuns).toHaveBeenLastCalledWith({ connectionId: 0, direction: '', mode: '', status: '', from: '', to: '', search: '', limit: 500 })
    select('history-connection').vm.$emit('update:value', card.id)
    select('history-direction').vm.$emit('update:value', 'import')
    select('history-status').vm.$emit('update:value', 'held')
    await flushPromises()
    expect(api.findRuns).toHaveBeenLastCalledWith(expect.objectContaining({ connectionId: card.id, direction: 'import', status: 'held' }))
    // Days picked are whole local days: from the first's midnight to the midnight after the last.
    const nov20 = new Date(2026, 10, 20, 15, 0).getTime()
    const nov21 = new Date(2026, 10, 21, 9, 0).getTime()
    w.findComponent(NDatePicker).vm.$emit('update:value', [nov20, nov21])
    await flushPromises()
    expect(api.findRuns).toHaveBeenLastCalledWith(expect.objectContaining({
      from: new Date(2026, 10, 20).toISOString(), to: new Date(2026, 10, 22).toISOString(),
    }))
    vi.useFakeTimers()
    api.findRuns.mockResolvedValue([])
    await w.find('[data-testid="history-search"] input').setValue(' usr-000012 ')
    vi.advanceTimersByTime(300)
    vi.useRealTimers()
    await flushPromises()
    expect(api.findRuns).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'usr-000012' }))
    expect(w.text()).toContain('No run matches these filters.')
  })

  it('a run\'s row takes the focus and opens the run with Enter', async () => {
    api.run.mockResolvedValue({ run: heldRun, records: [], more: 0 })
    w = mountInApp(HistoryView)
    await flushPromises()
    const row = w.find('[data-testid="history-row"]')
    expect(row.attributes('tabindex')).toBe('0')
    await row.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(api.run).toHaveBeenCalledWith(heldRun.run)
    expect(document.body.textContent).toContain(`Run ${heldRun.run}`)
  })

  it('shows the integration of a run and says when the schedule started it', async () => {
    api.findRuns.mockResolvedValue([{ ...heldRun, integrationId: 4, integration: 'Nightly import', trigger: 'schedule' }, { ...heldRun, run: 8 }])
    w = mountInApp(HistoryView)
    await flushPromises()
    const rows = w.findAll('[data-testid="history-row"]')
    expect(rows[0].find('[data-testid="history-integration"]').text()).toBe('Nightly import')
    expect(rows[0].find('[data-testid="history-scheduled"]').text()).toBe('Scheduled')
    expect(rows[1].find('[data-testid="history-integration"]').exists()).toBe(false)
    expect(rows[1].find('[data-testid="history-scheduled"]').exists()).toBe(false)
  })

  it('lists each run\'s mode and operator, filters by mode, and an opened run shows both and builds its records\' sentences', async () => {
    api.findRuns.mockResolvedValue([heldRun, { ...heldRun, run: 10, mode: 'ids', operator: 'pat' }])
    api.run.mockResolvedValue({ run: heldRun, records: [], more: 0 })
    api.runRecords.mockResolvedValue({
      records: [
        { entity: 'users', sourcedId: 'usr-1', action: 'update', status: 'ok', field: 'givenName', message: '', reason: 'changed', before: 'Ana', after: 'Anna' },
        { entity: 'users', sourcedId: 'usr-2', action: 'delete', status: 'ok', field: '', message: 'logged before 016', reason: '' },
      ],
      total: 2,
    })
    w = mountInApp(HistoryView)
    await flushPromises()
    const rows = w.findAll('[data-testid="history-row"]')
    expect(rows.map((r) => r.find('[data-testid="history-mode"]').text())).toEqual(['Selective', 'By IDs'])
    expect(rows.map((r) => r.find('[data-testid="history-operator"]').text())).toEqual(['registrar', 'pat'])
    select('history-mode-filter').vm.$emit('update:value', 'ids')
    await flushPromises()
    expect(api.findRuns).toHaveBeenLastCalledWith(expect.objectContaining({ mode: 'ids' }))
    await rows[0].trigger('click')
    await flushPromises()
    const drawer = document.body.querySelector('.n-drawer')!
    expect(drawer.querySelector('[data-testid="run-mode"]')?.textContent).toBe('Selective')
    expect(drawer.querySelector('[data-testid="run-operator"]')?.textContent).toBe('registrar')
    const records = [...drawer.querySelectorAll('[data-testid="record-row"]')].map((r) => r.textContent)
    expect(records[0]).toContain('givenName: "Ana" → "Anna"')
    expect(records[1]).toContain('logged before 016')
  })

  it('an opened run filters its records by entity, action and status and searches an ID in the workspace; a conflict has a label', async () => {
    api.run.mockResolvedValue({ run: heldRun, records: [], more: 0 })
    api.recordChoices.mockResolvedValue({ entities: ['users'], actions: ['conflict', 'update'], statuses: ['ok', 'skipped'] })
    api.runRecords.mockResolvedValue({ records: [{ entity: 'users', sourcedId: 'usr-7', action: 'conflict', status: 'skipped', field: 'email', message: 'changed on both sides' }], total: 1 })
    w = mountInApp(HistoryView)
    await flushPromises()
    await w.find('[data-testid="history-row"]').trigger('click')
    await flushPromises()
    expect(api.runRecords).toHaveBeenLastCalledWith(heldRun.run, { entity: '', action: '', status: '', search: '', offset: 0, limit: 50 })
    const drawer = () => document.body.querySelector('.n-drawer')!
    expect(drawer().querySelector('[data-testid="record-row"]')?.textContent).toContain('conflict (changed on both sides)')
    const inDrawer = (testid: string) => w!.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === testid)!
    inDrawer('records-status').vm.$emit('update:value', 'skipped')
    inDrawer('records-action').vm.$emit('update:value', 'conflict')
    inDrawer('records-entity').vm.$emit('update:value', 'users')
    await flushPromises()
    expect(api.runRecords).toHaveBeenLastCalledWith(heldRun.run, expect.objectContaining({ entity: 'users', action: 'conflict', status: 'skipped' }))
    vi.useFakeTimers()
    w.findAllComponents(NInput).find((i) => i.attributes('data-testid') === 'records-search')!.vm.$emit('update:value', ' usr-7 ')
    await nextTick()
    vi.advanceTimersByTime(300)
    vi.useRealTimers()
    await flushPromises()
    expect(api.runRecords).toHaveBeenLastCalledWith(heldRun.run, expect.objectContaining({ search: 'usr-7', offset: 0 }))
    expect(drawer().querySelector('[data-testid="records-total"]')?.textContent).toBe('1 record')
  })

  it('Clear history names how many runs go and which stay, and clears only once confirmed', async () => {
    api.clearPreview.mockResolvedValue({ cleared: 12, kept: 2 })
    api.clearHistory.mockResolvedValue({ ...heldRun, run: 20, direction: 'history', message: 'History cleared by registrar: 12 runs; 2 runs kept (still running or held for review).' })
    w = mountInApp(HistoryView)
    await flushPromises()
    const asked = api.findRuns.mock.calls.length
    await w.find('[data-testid="history-clear"]').trigger('click')
    await flushPromises()
    const dialog = document.body.querySelector('.n-dialog')?.textContent
    expect(dialog).toContain('The 12 runs in the history and their records are deleted for good.')
    expect(dialog).toContain('2 runs still running or held for review stay.')
    expect(api.clearHistory).not.toHaveBeenCalled()
    clickInDialog('Delete 12 runs')
    await flushPromises()
    expect(api.clearHistory).toHaveBeenCalledOnce()
    expect(api.findRuns.mock.calls.length).toBe(asked + 1)
    expect(document.body.textContent).toContain('History cleared by registrar: 12 runs')
  })

  it('Clear history is greyed out for an operator without the Delete right on History, saying why', async () => {
    api.me.mockResolvedValue({ name: 'lin', role: 'limited', listed: true, rights: { history: ['read'], imports: ['read', 'write'] } })
    api.clearPreview.mockClear()
    w = mountInApp(HistoryView)
    await flushPromises()
    expect(w.find('[data-testid="history-clear"]').attributes('disabled')).toBeDefined()
    await w.find('[data-testid="history-clear"]').trigger('click')
    await flushPromises()
    expect(api.clearPreview).not.toHaveBeenCalled()
  })
})
