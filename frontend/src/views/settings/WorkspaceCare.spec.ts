import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { AppError } from '../../api/call'

const api = vi.hoisted(() => ({ checkWorkspace: vi.fn(), chooseBackupFile: vi.fn(), backupWorkspace: vi.fn(), showFile: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: WorkspaceCare } = await import('./WorkspaceCare.vue')

let w: VueWrapper | null = null
const status = () => w!.find('[data-testid="workspace-care-status"]').text()

describe('Settings → Workspace', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    for (const f of Object.values(api)) f.mockReset()
    w = mountInApp(WorkspaceCare)
    await flushPromises()
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('Check workspace says it works, then that the workspace is sound', async () => {
    let finish: (v: unknown) => void = () => {}
    api.checkWorkspace.mockReturnValue(new Promise((r) => { finish = r }))
    await w!.find('[data-testid="workspace-check"]').trigger('click')
    expect(status()).toContain('Checking every page of the workspace…')
    expect(w!.find('[data-testid="workspace-backup"]').attributes('disabled')).toBeDefined()
    finish({ workspace: '/w.db', ok: true, problems: [] })
    await flushPromises()
    expect(status()).toContain('The workspace is sound')
  })

  it('lists each problem of a damaged workspace and says what to do', async () => {
    api.checkWorkspace.mockResolvedValue({ workspace: '/w.db', ok: false, problems: [
      { check: 'integrity', message: 'Damaged: Tree 12 page 40 cell 3: invalid page number 9999' },
      { check: 'origins', message: '2 users that sources supply are missing from the roster.' },
    ] })
    await w!.find('[data-testid="workspace-check"]').trigger('click')
    await flushPromises()
    const problems = w!.find('[data-testid="workspace-check-problems"]')
    expect(problems.text()).toContain('The workspace has 2 problems')
    expect(problems.findAll('li').map((l) => l.text())).toEqual(['Damaged: Tree 12 page 40 cell 3: invalid page number 9999', '2 users that sources supply are missing from the roster.'])
    expect(problems.text()).toContain('work from a backup')
  })

  it('Back up workspace… writes to the file chosen and says where, with its size', async () => {
    api.chooseBackupFile.mockResolvedValue('/backups/w backup.db')
    api.backupWorkspace.mockResolvedValue({ file: '/backups/w backup.db', bytes: 3 * 1024 * 1024 })
    await w!.find('[data-testid="workspace-backup"]').trigger('click')
    await flushPromises()
    expect(api.chooseBackupFile).toHaveBeenCalledWith('Back up the workspace to')
    expect(api.backupWorkspace).toHaveBeenCalledWith('/backups/w backup.db')
    expect(w!.find('[data-testid="workspace-backup-done"]').text()).toContain('Backed up (3.0 MB).')
    expect(w!.find('[data-testid="saved-path"]').text()).toBe('/backups/w backup.db')
  })

  it('a cancelled save dialog backs up nothing; a failure is said in words', async () => {
    api.chooseBackupFile.mockResolvedValue('')
    await w!.find('[data-testid="workspace-backup"]').trigger('click')
    await flushPromises()
    expect(api.backupWorkspace).not.toHaveBeenCalled()
    expect(w!.find('[data-testid="workspace-backup-done"]').exists()).toBe(false)

    api.chooseBackupFile.mockResolvedValue('/ro/w.db')
    api.backupWorkspace.mockRejectedValue(new AppError({ code: 'internal', message: 'Rosterdesk cannot write to the folder /ro: the folder is read-only.' }))
    await w!.find('[data-testid="workspace-backup"]').trigger('click')
    await flushPromises()
    expect(w!.find('[data-testid="workspace-care-error"]').text()).toContain('Rosterdesk cannot write to the folder /ro')
  })
})
