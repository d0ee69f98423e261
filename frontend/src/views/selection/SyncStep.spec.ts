import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { Job, Run } from '../../api/types'
import { card, heldRun } from '../../testing/fixtures'

// A fake backend: every job ends at once with the run the test queued.
const backend = vi.hoisted(() => ({ results: [] as Run[] }))
const api = vi.hoisted(() => ({
  startImport: vi.fn(),
  startIntegrationRun: vi.fn(),
  startExport: vi.fn(),
  run: vi.fn(),
  cancel: vi.fn(),
  job: vi.fn(),
  onJob: (id: string, _progress: unknown, done: (j: Job) => void) => {
    queueMicrotask(() => done({ id, kind: 'import', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 }, result: backend.results.shift() }))
    return () => {}
  },
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))

const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: SyncStep } = await import('./SyncStep.vue')

describe('the sync step', () => {
  beforeEach(() => {
    api.startImport.mockReset().mockResolvedValue('job-1')
    api.startIntegrationRun.mockReset().mockResolvedValue('job-2')
    api.run.mockReset().mockResolvedValue({ run: heldRun, records: [{ entity: 'users', sourcedId: 'usr-1', action: 'delete', status: 'ok', field: '', message: '' }] })
  })
  afterEach(() => { document.body.innerHTML = '' })

  it('a held import shows why, and Apply anyway runs it again overriding the hold once confirmed', async () => {
    backend.results = [heldRun, { ...heldRun, run: 10, status: 'succeeded', message: 'Imported.' }]
    const w = mountInApp(SyncStep, { card, direction: 'import', heldRun: null, mode: 'bulk' })
    await w.find('[data-testid="sync-start"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="held-run"]').exists()).toBe(true))
    expect(api.startImport).toHaveBeenCalledWith(1, false)
    expect(w.find('[data-testid="job-result"]').text()).toContain('would delete 360 of the 400 users')
    await flushPromises()
    expect(api.run).toHaveBeenCalledWith(9)

    await w.find('[data-testid="held-apply"]').trigger('click')
    await flushPromises()
    expect(document.body.textContent).toContain('Apply this run anyway?')
    expect(api.startImport).toHaveBeenCalledTimes(1) // nothing before the confirmation
    clickInDialog('Apply anyway')
    await vi.waitFor(() => expect(w.find('[data-testid="job-result"]').text()).toContain('succeeded'))
    expect(api.startImport).toHaveBeenLastCalledWith(1, true)
    expect(w.find('[data-testid="held-run"]').exists()).toBe(false)
    w.unmount()
  })

  it('opened on an integration, Apply anyway runs that integration again overriding the hold', async () => {
    backend.results = [heldRun, { ...heldRun, run: 10, status: 'succeeded', message: 'Imported.' }]
    const w = mountInApp(SyncStep, { card, integrationId: 7, direction: 'import', heldRun: null, mode: 'bulk' })
    await w.find('[data-testid="sync-start"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="held-run"]').exists()).toBe(true))
    expect(api.startIntegrationRun).toHaveBeenCalledWith(7, false, '', false)
    await w.find('[data-testid="held-apply"]').trigger('click')
    await flushPromises()
    clickInDialog('Apply anyway')
    await vi.waitFor(() => expect(w.find('[data-testid="job-result"]').text()).toContain('succeeded'))
    expect(api.startIntegrationRun).toHaveBeenLastCalledWith(7, false, '', true)
    expect(api.startImport).not.toHaveBeenCalled()
    w.unmount()
  })
})
