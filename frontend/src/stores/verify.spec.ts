import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const result = {
  verification: { connectionId: 4, connection: 'Vendor', against: 'target', basis: 'the package', fetchedAt: '', stale: false, differences: 4,
    counts: { users: { same: 1, missingInRoster: 1, missingInConnection: 1, differs: 1 }, courses: { same: 0, missingInRoster: 0, missingInConnection: 1, differs: 0 } } },
  rows: [
    { entity: 'users', sourcedId: 'usr-1', rosterId: 'usr-1', kind: 'differs', fields: [{ field: 'email', roster: 'a@x', connection: 'b@x' }] },
    { entity: 'users', sourcedId: 'sis-2', rosterId: 'usr-2', kind: 'missingInConnection', fields: [] },
    { entity: 'users', sourcedId: 'usr-9', rosterId: '', kind: 'missingInRoster', fields: [] },
    { entity: 'courses', sourcedId: 'crs-1', rosterId: 'crs-1', kind: 'missingInConnection', fields: [] },
  ],
  shown: 4,
}
const api = vi.hoisted(() => ({ startVerify: vi.fn(), startResync: vi.fn(), job: vi.fn(), cancel: vi.fn(), onJob: vi.fn() }))
vi.mock('../api', () => ({ api, AppError: class extends Error {} }))
const { useVerify, rowKey } = await import('./verify')

describe('verify store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.startVerify.mockReset().mockResolvedValue('verify-1')
    api.startResync.mockReset().mockResolvedValue('resync-2')
    // Every job ends at once with its result.
    api.onJob.mockReset().mockImplementation((id: string, _p: unknown, done: (j: unknown) => void) => {
      setTimeout(() => done({ id, kind: id.split('-')[0], status: 'succeeded', progress: { stage: '', done: 1, total: 1, unit: 'files', rate: 0 },
        result: id.startsWith('verify') ? result : { run: { run: 9 }, notFound: ['nobody'] } }))
      return () => {}
    })
  })

  it('verifies a connection or an integration and filters its rows by entity, kind and ID', async () => {
    const v = useVerify()
    v.target = 'i:7'
    await v.verify()
    expect(api.startVerify).toHaveBeenCalledWith(0, 7, '')
    v.target = 'c:4'
    v.entity = 'users'
    await v.verify()
    expect(api.startVerify).toHaveBeenLastCalledWith(4, 0, 'users')
    expect(v.rows).toHaveLength(4)
    v.filter = { entity: 'users', kind: '', search: '' }
    expect(v.rows).toHaveLength(3)
    v.filter = { entity: '', kind: 'missingInConnection', search: '' }
    expect(v.rows.map((d) => d.sourcedId)).toEqual(['sis-2', 'crs-1'])
    v.filter = { entity: '', kind: '', search: 'USR-2' }
    expect(v.rows.map((d) => d.sourcedId)).toEqual(['sis-2']) // found by its roster id too
  })

  it('checked rows fill re-sync by IDs with one object, their roster ids and the verified target', async () => {
    const v = useVerify()
    v.target = 'c:4'
    await v.verify()
    v.checked = [rowKey(result.rows[3] as never)]
    expect(v.toResync(4)).toBe(false) // courses are not re-synced by IDs
    expect(v.tab).toBe('summary')
    v.checked = result.rows.map((d) => rowKey(d as never))
    expect(v.toResync(4)).toBe(true)
    expect(v.tab).toBe('resync')
    expect(v.object).toBe('users')
    expect(v.ids).toBe('usr-1\nusr-2\nusr-9')
    expect(v.resyncTarget).toBe(4)
    v.withDependencies = false
    const state = await v.resync()
    expect(api.startResync).toHaveBeenCalledWith(4, 'users', 'usr-1\nusr-2\nusr-9', false)
    expect(state?.result?.notFound).toEqual(['nobody'])
  })
})
