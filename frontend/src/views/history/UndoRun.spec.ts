import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Job, Run } from '../../api/types'
import { heldRun } from '../../testing/fixtures'

const imported: Run = { ...heldRun, run: 4, status: 'succeeded', message: 'users: 2 updated.' }
const undoRun: Run = { ...imported, run: 5, mode: 'undo', undoOf: 4, message: 'Undid run #4. users: 2 put back (3 fields).' }
const api = vi.hoisted(() => ({
  undoPreview: vi.fn(), startUndo: vi.fn(), job: vi.fn(), cancel: vi.fn(),
  onJob: (id: string, _progress: unknown, done: (j: Job) => void) => {
    queueMicrotask(() => done({ id, kind: 'undo', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 }, result: undoRun }))
    return () => {}
  },
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: UndoRun } = await import('./UndoRun.vue')

let w: VueWrapper | null = null
const body = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null

describe('undoing a run', () => {
  beforeEach(() => {
    api.undoPreview.mockReset()
    api.startUndo.mockReset().mockResolvedValue('job-3')
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('asks first, saying per entity what goes and what comes back, then shows the undo run', async () => {
    api.undoPreview.mockResolvedValue({ run: 4, refused: '', counts: { users: { removed: 1, restored: 2, fields: 3, revived: 1, left: 0, gone: 0 } } })
    const undone = vi.fn()
    w = mountInApp(UndoRun, { run: imported, onUndone: undone })
    await w.find('[data-testid="run-undo"]').trigger('click')
    await flushPromises()
    expect(api.undoPreview).toHaveBeenCalledWith(4)
    expect(body('undo-dialog')!.textContent).toContain('Undo run 4?')
    const row = body('undo-counts')!.querySelector('tbody tr')!.textContent
    expect(row).toContain('Users')
    expect(row).toContain('2 (3)')
    expect(body('undo-counts')!.textContent).not.toContain('No longer in the roster')
    expect(body('undo-gone')).toBeNull()
    expect(api.startUndo).not.toHaveBeenCalled()
    body('undo-confirm')!.click()
    await vi.waitFor(() => expect(body('job-result')).not.toBeNull(), { timeout: 5000 }) // the machine may be busy
    expect(api.startUndo).toHaveBeenCalledWith(4)
    expect(body('job-result')!.textContent).toContain('Undid run #4')
    expect(undone).toHaveBeenCalledWith(undoRun)
  })

  it('counts the records the run changed that are no longer in the roster, and says the undo skips them', async () => {
    api.undoPreview.mockResolvedValue({ run: 4, refused: '', counts: { users: { removed: 0, restored: 1, fields: 1, revived: 0, left: 0, gone: 2 } } })
    w = mountInApp(UndoRun, { run: imported })
    await w.find('[data-testid="run-undo"]').trigger('click')
    await flushPromises()
    const table = body('undo-counts')!
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toContain('No longer in the roster')
    expect([...table.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['Users', '0', '1 (1)', '0', '0', '2'])
    expect(body('undo-gone')!.textContent).toContain('2 records this run changed are no longer in the roster')
  })

  it('says why when the run cannot be undone, and offers no undo', async () => {
    api.undoPreview.mockResolvedValue({ run: 4, refused: 'Run #4 cannot be undone: run #6 changed it since (user u1).', counts: {} })
    w = mountInApp(UndoRun, { run: imported })
    await w.find('[data-testid="run-undo"]').trigger('click')
    await flushPromises()
    expect(body('undo-refused')!.textContent).toContain('run #6 changed it since (user u1)')
    expect(body('undo-confirm')).toBeNull()
  })

  it('shows the links between a run and its undo, and no button on an undo or an undone run', async () => {
    w = mountInApp(UndoRun, { run: { ...imported, undoneBy: 5 } })
    expect(w.find('[data-testid="run-undone-by"]').text()).toBe('Undone by #5')
    expect(w.find('[data-testid="run-undo"]').exists()).toBe(false)
    w.unmount()
    w = mountInApp(UndoRun, { run: undoRun })
    expect(w.find('[data-testid="run-undo-of"]').text()).toBe('Undo of #4')
    expect(w.find('[data-testid="run-undo"]').exists()).toBe(false)
  })
})
