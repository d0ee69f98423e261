import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import '../../testing/layout' // before naive-ui, so the virtual table draws its rows
import { NDatePicker, NSelect } from 'naive-ui'
import type { Run } from '../../api/types'
import { card, heldRun } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ findRuns: vi.fn(), connections: vi.fn(), workspace: vi.fn(), run: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: HistoryView } = await import('./HistoryView.vue')

let w: VueWrapper | null = null
const select = (testid: string) => w!.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === testid)!

describe('the history', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.findRuns.mockReset().mockResolvedValue([heldRun as Run])
    api.connections.mockResolvedValue([card])
    api.workspace.mockResolvedValue({ path: '' })
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('filters by connection, direction and result, searches a run or record ID, and says when nothing matches', async () => {
    w = mountInApp(HistoryView)
    await flushPromises()
    expect(api.findRuns).toHaveBeenLastCalledWith({ connectionId: 0, direction: '', status: '', from: '', to: '', search: '', limit: 500 })
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
})
