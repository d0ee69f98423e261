import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Job, Progress } from '../../api/types'

// The jobs the component listens to: a test sends their progress (which a poll also answers) and their end.
const listening = vi.hoisted(() => new Map<string, { progress: (p: Progress) => void; done: (j: Job) => void; last?: Progress }>())
const api = vi.hoisted(() => ({
  startWorkspaceCheck: vi.fn(), chooseBackupFile: vi.fn(), startWorkspaceBackup: vi.fn(), showFile: vi.fn(), cancel: vi.fn(), job: vi.fn(),
  onJob: (id: string, progress: (p: Progress) => void, done: (j: Job) => void) => {
    listening.set(id, { progress, done })
    return () => listening.delete(id)
  },
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: (await vi.importActual<typeof import('../../api/call')>('../../api/call')).AppError, api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: WorkspaceCare } = await import('./WorkspaceCare.vue')

let w: VueWrapper | null = null
const find = (id: string) => w!.find(`[data-testid="${id}"]`)
function progress(id: string, p: Partial<Progress>) {
  const job = listening.get(id)!
  job.last = { stage: '', done: 0, total: 0, unit: 'records', rate: 0, ...p }
  job.progress(job.last)
}
const end = (id: string, j: Partial<Job>) => listening.get(id)!.done({ id, kind: '', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 }, ...j } as Job)

async function startCheck() {
  await find('workspace-check').trigger('click')
  await flushPromises()
  expect(api.startWorkspaceCheck).toHaveBeenCalled()
}

describe('Settings → Workspace', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    for (const f of Object.values(api)) if ('mockReset' in f) f.mockReset()
    listening.clear()
    api.startWorkspaceCheck.mockResolvedValue('check-1')
    api.startWorkspaceBackup.mockResolvedValue('backup-2')
    api.job.mockImplementation((id: string) => Promise.resolve({ id, status: 'running', progress: listening.get(id)?.last ?? { stage: '', done: 0, total: 0, unit: 'records', rate: 0 } }))
    w = mountInApp(WorkspaceCare)
    await flushPromises()
  })
  afterEach(() => {
    w?.unmount()
    vi.useRealTimers()
    document.body.innerHTML = ''
  })

  it('Check workspace shows its stage and the time it has taken, then that the workspace is sound', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    await startCheck()
    progress('check-1', { stage: 'integrity', done: 0, total: 3, unit: 'checks' })
    await flushPromises()
    expect(find('workspace-care-progress').text()).toContain('Checking every page of the workspace')
    expect(find('workspace-care-elapsed').text()).toBe('Elapsed 0:00')
    expect(find('workspace-care-status').text()).toContain('Checking the workspace…')
    expect(find('workspace-backup').attributes('disabled')).toBeDefined()
    vi.advanceTimersByTime(65_000)
    await flushPromises() // the polls meanwhile
    progress('check-1', { stage: 'origins', done: 2, total: 3, unit: 'checks' })
    await flushPromises()
    expect(find('workspace-care-elapsed').text()).toBe('Elapsed 1:05')
    expect(find('workspace-care-progress').text()).toContain('Checking that the roster holds what its sources supply')
    end('check-1', { result: { workspace: '/w.db', ok: true, problems: [] } })
    await flushPromises()
    expect(find('workspace-care-status').text()).toContain('The workspace is sound')
    expect(find('workspace-care-progress').exists()).toBe(false)
    expect(find('workspace-backup').attributes('disabled')).toBeUndefined()
  })

  it('a backup goes on while the registrar is on another screen: back, its progress, time and Cancel show, then its result', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    api.chooseBackupFile.mockResolvedValue('/backups/w backup.db')
    await find('workspace-backup').trigger('click')
    await flushPromises()
    progress('backup-2', { stage: 'copying', done: 1024 * 1024, total: 4 * 1024 * 1024, unit: 'bytes' })
    w!.unmount() // to another screen
    vi.advanceTimersByTime(7_000)
    await flushPromises() // the polls meanwhile
    progress('backup-2', { stage: 'copying', done: 2 * 1024 * 1024, total: 4 * 1024 * 1024, unit: 'bytes' })
    w = mountInApp(WorkspaceCare)
    await flushPromises()
    const panel = find('workspace-care-progress')
    expect(panel.text()).toContain('2.0 MB / 4.0 MB')
    expect(find('workspace-care-elapsed').text()).toBe('Elapsed 0:07')
    expect(find('workspace-check').attributes('disabled')).toBeDefined()
    await panel.find('[data-testid="job-cancel"]').trigger('click')
    expect(api.cancel).toHaveBeenCalledWith('backup-2')
    w!.unmount() // away again while it ends
    end('backup-2', { status: 'cancelled', error: { code: 'cancelled', message: 'Cancelled. Nothing was changed.' } })
    await flushPromises()
    w = mountInApp(WorkspaceCare)
    await flushPromises()
    expect(find('workspace-backup-cancelled').text()).toBe('Cancelled: no backup was written.')
    expect(find('workspace-care-progress').exists()).toBe(false)
  })

  it('a check that ended while the registrar was away shows its result on return', async () => {
    await startCheck()
    w!.unmount()
    end('check-1', { result: { workspace: '/w.db', ok: true, problems: [] } })
    await flushPromises()
    w = mountInApp(WorkspaceCare)
    await flushPromises()
    expect(find('workspace-check-ok').exists()).toBe(true)
  })

  it('lists each problem of a damaged workspace and says what to do', async () => {
    await startCheck()
    end('check-1', { result: { workspace: '/w.db', ok: false, problems: [
      { check: 'integrity', message: 'Damaged: Tree 12 page 40 cell 3: invalid page number 9999' },
      { check: 'origins', message: '2 users that sources supply are missing from the roster.' },
    ] } })
    await flushPromises()
    const problems = find('workspace-check-problems')
    expect(problems.text()).toContain('The workspace has 2 problems')
    expect(problems.findAll('li').map((l) => l.text())).toEqual(['Damaged: Tree 12 page 40 cell 3: invalid page number 9999', '2 users that sources supply are missing from the roster.'])
    expect(problems.text()).toContain('work from a backup')
  })

  it('a check that cannot tell (the workspace busy) is a warning saying to try again, not a problem', async () => {
    await startCheck()
    end('check-1', { status: 'failed', error: { code: 'busy', message: 'Another Rosterdesk kept this workspace busy for more than 10 seconds, so nothing was changed.' } })
    await flushPromises()
    const unknown = find('workspace-check-unknown')
    expect(w!.findAllComponents({ name: 'Alert' }).map((a) => a.props('type'))).toEqual(['warning']) // the one alert shown
    expect(unknown.text()).toContain('The check could not tell whether the workspace is sound')
    expect(unknown.text()).toContain('kept this workspace busy')
    expect(unknown.text()).toContain('Try the check again in a moment.')
    expect(find('workspace-check-problems').exists()).toBe(false)
    expect(find('workspace-care-error').exists()).toBe(false)
  })

  it('a check that fails for another reason (a read error) is an error, not the reassuring warning', async () => {
    await startCheck()
    end('check-1', { status: 'failed', error: { code: 'internal', message: 'disk I/O error (10)' } })
    await flushPromises()
    expect(find('workspace-check-unknown').exists()).toBe(false)
    expect(w!.findAllComponents({ name: 'Alert' }).map((a) => a.props('type'))).toEqual(['error'])
    expect(find('workspace-check-error').text()).toContain('disk I/O error')
  })

  it('Back up workspace… shows the bytes copied; Cancel stops it and says no backup was written', async () => {
    api.chooseBackupFile.mockResolvedValue('/backups/w backup.db')
    await find('workspace-backup').trigger('click')
    await flushPromises()
    expect(api.chooseBackupFile).toHaveBeenCalledWith('Back up the workspace to')
    expect(api.startWorkspaceBackup).toHaveBeenCalledWith('/backups/w backup.db')
    progress('backup-2', { stage: 'copying', done: 1024 * 1024, total: 4 * 1024 * 1024, unit: 'bytes' })
    await flushPromises()
    const panel = find('workspace-care-progress')
    expect(panel.text()).toContain('Copying the workspace')
    expect(panel.text()).toContain('1.0 MB / 4.0 MB')
    expect(find('workspace-check').attributes('disabled')).toBeDefined()
    await panel.find('[data-testid="job-cancel"]').trigger('click')
    expect(api.cancel).toHaveBeenCalledWith('backup-2')
    end('backup-2', { status: 'cancelled', error: { code: 'cancelled', message: 'Cancelled. Nothing was changed.' } })
    await flushPromises()
    expect(find('workspace-backup-cancelled').text()).toBe('Cancelled: no backup was written.')
    expect(find('workspace-care-progress').exists()).toBe(false)
  })

  it('a backup done says where, with its size', async () => {
    api.chooseBackupFile.mockResolvedValue('/backups/w backup.db')
    await find('workspace-backup').trigger('click')
    await flushPromises()
    end('backup-2', { result: { file: '/backups/w backup.db', bytes: 3 * 1024 * 1024 } })
    await flushPromises()
    expect(find('workspace-backup-done').text()).toContain('Backed up (3.0 MB).')
    expect(find('saved-path').text()).toBe('/backups/w backup.db')
  })

  it('a cancelled save dialog backs up nothing; a failure is said in words', async () => {
    api.chooseBackupFile.mockResolvedValue('')
    await find('workspace-backup').trigger('click')
    await flushPromises()
    expect(api.startWorkspaceBackup).not.toHaveBeenCalled()
    expect(find('workspace-backup-done').exists()).toBe(false)

    api.chooseBackupFile.mockResolvedValue('/ro/w.db')
    await find('workspace-backup').trigger('click')
    await flushPromises()
    end('backup-2', { status: 'failed', error: { code: 'internal', message: 'Rosterdesk cannot write to the folder /ro: the folder is read-only.' } })
    await flushPromises()
    expect(find('workspace-care-error').text()).toContain('Rosterdesk cannot write to the folder /ro')
  })
})
