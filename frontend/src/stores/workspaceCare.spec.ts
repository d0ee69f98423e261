import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Job } from '../api/types'

const ends = vi.hoisted(() => new Map<string, (j: Job) => void>())
const api = vi.hoisted(() => ({
  startWorkspaceCheck: vi.fn(), startWorkspaceBackup: vi.fn(), job: vi.fn(), cancel: vi.fn(),
  onJob: (id: string, _progress: unknown, done: (j: Job) => void) => {
    ends.set(id, done)
    return () => ends.delete(id)
  },
}))
vi.mock('../api', () => ({ api, AppError: class extends Error {} }))
const { useWorkspaceCare } = await import('./workspaceCare')

const end = (id: string, j: Partial<Job>) => ends.get(id)!({ id, kind: '', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'checks', rate: 0 }, ...j } as Job)

describe('workspace care store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    ends.clear()
    api.startWorkspaceCheck.mockReset().mockResolvedValue('check-1')
    api.startWorkspaceBackup.mockReset().mockResolvedValue('backup-2')
    api.job.mockReset().mockImplementation((id: string) => Promise.resolve({ id, status: 'running' }))
  })

  it('starts one job at a time: a second check or a backup while a check runs starts nothing', async () => {
    const care = useWorkspaceCare()
    const first = care.runCheck()
    expect(care.running?.state.kind).toBe('check')
    expect(await care.runCheck()).toBeNull()
    expect(await care.runBackup('/b.db')).toBeNull()
    expect(api.startWorkspaceCheck).toHaveBeenCalledTimes(1)
    expect(api.startWorkspaceBackup).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(ends.has('check-1')).toBe(true))
    end('check-1', { result: { workspace: '/w.db', ok: true, problems: [] } })
    expect((await first)?.result).toEqual({ workspace: '/w.db', ok: true, problems: [] })
    expect(care.running).toBeNull()

    const second = care.runBackup('/b.db') // once it has ended, the next may start
    expect(api.startWorkspaceBackup).toHaveBeenCalledWith('/b.db')
    await vi.waitFor(() => expect(ends.has('backup-2')).toBe(true))
    end('backup-2', { result: { file: '/b.db', bytes: 1 } })
    expect((await second)?.status).toBe('succeeded')
    expect(care.check.state.result?.ok).toBe(true) // each keeps its last result
  })

  it('keeps when the running job started, for the time it has taken', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_000_000)
    const care = useWorkspaceCare()
    void care.runCheck()
    vi.setSystemTime(1_005_000)
    expect(await care.runCheck()).toBeNull()
    expect(care.started).toBe(1_000_000) // a refused start does not restart the clock
    vi.useRealTimers()
  })
})
