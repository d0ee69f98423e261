import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Integration, Job, Progress } from '../api/types'
import { heldRun } from '../testing/fixtures'

const api = vi.hoisted(() => ({
  integrations: vi.fn(), saveIntegration: vi.fn(), removeIntegration: vi.fn(), setIntegrationEnabled: vi.fn(), startIntegrationRun: vi.fn(),
  onIntegrationsChanged: vi.fn(), onJob: vi.fn(), job: vi.fn(), cancel: vi.fn(), connections: vi.fn(), workspace: vi.fn(), rosterSummary: vi.fn(),
}))
vi.mock('../api', async () => ({ ...(await vi.importActual<object>('../api/call')), api }))
const { useIntegrations, needsInitial } = await import('./integrations')
const { useConnections } = await import('./connections')

const integration = (patch: Partial<Integration> = {}): Integration => ({
  id: 1, name: 'Import from Springfield SIS', type: 'import', connectionId: 1, connection: 'Springfield SIS', connectionKind: 'oneroster-csv',
  entities: null, schedule: 'manual', scheduleText: 'By hand', conflict: '', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '', nextRun: '',
  running: false, ...patch,
})
const nightly = integration({ id: 2, name: 'Nightly', schedule: 'daily 02:00', nextRun: '2026-03-09T02:00:00-05:00' })
const sync = integration({ id: 3, name: 'Sync the drop', type: 'sync', connectionId: 4, connection: 'Drop' })

// finishJobs makes every job end at once with this outcome.
function finishJobs(outcome: Partial<Job>) {
  api.onJob.mockImplementation((id: string, _progress: unknown, done: (j: Job) => void) => {
    queueMicrotask(() => done({ id, kind: 'import', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 }, ...outcome }))
    return () => {}
  })
}

let changed: () => void
beforeEach(() => {
  setActivePinia(createPinia())
  for (const f of Object.values(api)) f.mockReset()
  api.integrations.mockResolvedValue([integration(), nightly, sync])
  api.onIntegrationsChanged.mockImplementation((f: () => void) => (changed = f))
  api.startIntegrationRun.mockResolvedValue('job-1')
  api.connections.mockResolvedValue([])
  api.workspace.mockResolvedValue({ path: '', connections: 0, logs: '' })
  api.rosterSummary.mockResolvedValue({ counts: {}, lastImport: null, conflicts: 0, duplicates: 0 })
})

describe('integrations store', () => {
  it('lists the integrations and groups them by connection for the cards', async () => {
    const s = useIntegrations()
    await s.refresh()
    expect(s.list.map((i) => i.name)).toEqual(['Import from Springfield SIS', 'Nightly', 'Sync the drop'])
    expect(s.ofConnection(1).map((i) => i.id)).toEqual([1, 2])
    expect(s.ofConnection(9)).toEqual([])
  })

  it('drops the answer to an older refresh', async () => {
    let answer: (v: unknown) => void = () => {}
    api.integrations.mockImplementationOnce(() => new Promise((ok) => (answer = ok)))
    const s = useIntegrations()
    const slow = s.refresh()
    await s.refresh()
    answer([])
    await slow
    expect(s.list).toHaveLength(3)
  })

  it('runs an integration now, keeps its run, and asks again for the list, the cards and the summary', async () => {
    finishJobs({ result: { integration: 'Import from Springfield SIS', run: { ...heldRun, status: 'succeeded' }, plan: null } })
    const s = useIntegrations()
    const connections = useConnections()
    await Promise.all([s.refresh(), connections.refresh()])
    api.integrations.mockResolvedValue([integration({ lastRunId: 9, lastResult: 'succeeded' }), nightly, sync])
    const task = await s.run(s.list[0])
    expect(api.startIntegrationRun).toHaveBeenCalledWith(1, false, '')
    expect(task.run?.run).toBe(9)
    expect(s.tasks.get(1)?.job.status).toBe('succeeded')
    expect(s.list[0].lastResult).toBe('succeeded')
    expect(api.rosterSummary).toHaveBeenCalled()
  })

  it('a first sync refused for want of a starting truth asks; run again, it passes the answer', async () => {
    finishJobs({ status: 'failed', error: { code: 'invalid', message: 'This is the first sync with Drop and both it and the roster hold data. Choose the starting truth: run it with --initial workspace (Drop gets the roster\'s selection) or --initial external (the roster takes Drop\'s data).', details: { needs: 'initial' } } })
    const s = useIntegrations()
    await s.refresh()
    const task = await s.run(sync)
    expect(needsInitial(task)).toBe(true)
    finishJobs({ result: { integration: 'Sync the drop', run: { ...heldRun, run: 12, status: 'succeeded' }, plan: null } })
    const again = await s.run(sync, 'external')
    expect(api.startIntegrationRun).toHaveBeenLastCalledWith(3, false, 'external')
    expect(needsInitial(again)).toBe(false)
    // Another failure is not that question.
    finishJobs({ status: 'failed', error: { code: 'invalid', message: 'The starting truth of a first sync is workspace or external, not "both".' } })
    expect(needsInitial(await s.run(sync))).toBe(false)
  })

  it('turning one off replaces it in the list', async () => {
    const s = useIntegrations()
    await s.refresh()
    api.setIntegrationEnabled.mockResolvedValue({ ...nightly, enabled: false, nextRun: '' })
    await s.setEnabled(2, false)
    expect(api.setIntegrationEnabled).toHaveBeenCalledWith(2, false)
    expect(s.list[1]).toMatchObject({ enabled: false, nextRun: '' })
  })

  it('follows a run the window’s scheduler started: its progress, then its result; once, and cancellable', async () => {
    let progress: (p: Progress) => void = () => {}
    let done: (j: Job) => void = () => {}
    api.onJob.mockImplementation((_id: string, p: (p: Progress) => void, d: (j: Job) => void) => {
      ;[progress, done] = [p, d]
      return () => {}
    })
    api.job.mockResolvedValue({ id: 'integration-7', kind: 'integration', status: 'running', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 } })
    const s = useIntegrations()
    await s.refresh()
    api.integrations.mockResolvedValue([integration(), { ...nightly, running: true, jobId: 'integration-7', jobScheduled: true }, sync])
    changed() // the scheduler started Nightly
    await vi.waitFor(() => expect(s.tasks.get(2)?.job.id).toBe('integration-7'))
    const task = s.tasks.get(2)!
    expect(task).toMatchObject({ title: 'Nightly', scheduled: true, run: null })
    expect(api.startIntegrationRun).not.toHaveBeenCalled()
    progress({ stage: 'applying', done: 40, total: 100, unit: 'bytes', rate: 0 })
    expect(task.job.progress.done).toBe(40)
    await s.refresh() // the list says so again: still one task
    expect(s.tasks.get(2)).toBe(task)
    await task.cancel()
    expect(api.cancel).toHaveBeenCalledWith('integration-7')
    api.integrations.mockResolvedValue([integration(), { ...nightly, lastRunId: 12, lastResult: 'succeeded' }, sync])
    done({ id: 'integration-7', kind: 'integration', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 },
      result: { integration: 'Nightly', run: { ...heldRun, run: 12, status: 'succeeded' }, plan: null } })
    await vi.waitFor(() => expect(task.run?.run).toBe(12))
    expect(task.job.status).toBe('succeeded')
    expect(s.list[1].lastResult).toBe('succeeded')
  })

  it('names a Run now it takes up after a reload as Run now, not as scheduled', async () => {
    api.onJob.mockImplementation(() => () => {})
    api.job.mockResolvedValue({ id: 'integration-8', kind: 'integration', status: 'running', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 } })
    api.integrations.mockResolvedValue([integration(), { ...nightly, running: true, jobId: 'integration-8', jobScheduled: false }, sync])
    const s = useIntegrations()
    await s.refresh()
    await vi.waitFor(() => expect(s.tasks.get(2)?.job.id).toBe('integration-8'))
    expect(s.tasks.get(2)).toMatchObject({ title: 'Nightly', scheduled: false })
  })

  it('asks again when the scheduler starts or ends a run (integrations:changed), once the list was shown', async () => {
    const s = useIntegrations()
    changed()
    expect(api.integrations).not.toHaveBeenCalled()
    await s.refresh()
    api.integrations.mockResolvedValue([{ ...nightly, running: true }])
    changed()
    await vi.waitFor(() => expect(s.list).toEqual([{ ...nightly, running: true }]))
  })
})
