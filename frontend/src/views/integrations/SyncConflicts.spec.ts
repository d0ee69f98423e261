import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Integration, SyncConflict } from '../../api/types'

const api = vi.hoisted(() => ({ syncConflicts: vi.fn(), resolveSyncConflict: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: SyncConflicts } = await import('./SyncConflicts.vue')

const sync: Integration = {
  id: 6, name: 'Sync the drop', type: 'sync', connectionId: 4, connection: 'Drop', connectionKind: 'oneroster-csv', entities: null, schedule: 'manual',
  scheduleText: 'By hand', conflict: 'ask', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '', nextRun: '', running: false,
}

let w: VueWrapper | null = null
afterEach(() => {
  w?.unmount()
  document.body.innerHTML = ''
})

describe('the conflicts a sync waits on', () => {
  const conflicts: SyncConflict[] = [
    { key: 'users/usr-1/familyName', entity: 'users', sourcedId: 'usr-1', field: 'familyName', workspace: 'Acosta', external: 'Acosta-Ruiz', baseline: 'Acoste', workspaceGone: false, externalGone: false, resolution: '' },
    { key: 'classes/cls-1/title', entity: 'classes', sourcedId: 'cls-1', field: 'title', workspace: 'Math 7', external: '', baseline: 'Maths 7', workspaceGone: false, externalGone: true, resolution: '' },
  ]
  it('lists each field with both sides (deleted on one) and the baseline, and keeps the side chosen', async () => {
    api.syncConflicts.mockReset().mockResolvedValue(conflicts)
    api.resolveSyncConflict.mockReset().mockResolvedValue(undefined)
    w = mountInApp(SyncConflicts, { integration: sync })
    await flushPromises()
    const rows = () => w!.findAll('[data-testid="sync-conflict"]')
    expect(rows().map((r) => r.findAll('td').slice(0, 5).map((td) => td.text()))).toEqual([
      ['Users usr-1', 'familyName', 'Acosta', 'Acosta-Ruiz', 'Acoste'],
      ['Classes cls-1', 'title', 'Math 7', '(deleted)', 'Maths 7'],
    ])
    await rows()[1].find('[data-testid="sync-conflict-keep-external"]').trigger('click')
    await flushPromises()
    expect(api.resolveSyncConflict).toHaveBeenCalledWith(6, 'classes/cls-1/title', 'external')
    expect(rows()[1].find('[data-testid="sync-conflict-chosen"]').text()).toBe('The connection’s kept: applied at the next run')
    expect(rows()[0].find('[data-testid="sync-conflict-keep-external"]').exists()).toBe(true)
  })
})
