import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { card } from '../../testing/fixtures'
import type { Job, Progress } from '../../api'
import '../../testing/layout'

type Listeners = { progress: (p: Progress) => void, done: (j: Job<unknown>) => void }
const listeners: Listeners[] = []
const api = vi.hoisted(() => ({ connections: vi.fn(), countIDs: vi.fn(), startResync: vi.fn(), onJob: vi.fn(), job: vi.fn(), cancel: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { useConnections } = await import('../../stores/connections')
const { useVerify } = await import('../../stores/verify')
const { default: ResyncForm } = await import('./ResyncForm.vue')

const source = { ...card, id: 1, name: 'Springfield SIS', role: 'source' }
const target = { ...card, id: 2, name: 'Vendor', role: 'target' }
let w: VueWrapper | null = null
const text = (id: string) => document.body.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? ''
const progress = (stage: string, done: number, total: number): Progress => ({ stage, done, total, unit: 'bytes', rate: 0 })

describe('the re-sync by IDs form', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    listeners.length = 0
    api.connections.mockReset().mockResolvedValue([source, target])
    api.countIDs.mockReset().mockImplementation(async (t: string) => t.split(/[\s,]+/).filter(Boolean).length)
    api.startResync.mockReset().mockResolvedValue('resync-1')
    api.onJob.mockReset().mockImplementation((_id: string, p: Listeners['progress'], d: Listeners['done']) => { listeners.push({ progress: p, done: d }); return () => {} })
    api.job.mockReset().mockResolvedValue({ id: 'resync-1', status: 'running', progress: progress('', 0, 0) })
    const c = useConnections()
    c.cards = [source, target]
    c.loaded = true
    w = mountInApp(ResyncForm)
    await flushPromises()
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('offers sources and targets under "Source or target", each with its direction', async () => {
    const v = useVerify()
    expect(document.body.textContent).toContain('Source or target')
    v.resyncTarget = 1
    await flushPromises()
    expect(text('resync-target')).toContain('Springfield SIS — source: re-pull from it')
    expect(text('resync-direction')).toContain('Fetches Springfield SIS afresh')
    v.resyncTarget = 2
    await flushPromises()
    expect(text('resync-target')).toContain('Vendor — target: send to it')
    expect(text('resync-direction')).toContain('Sends these records from the roster to Vendor')
  })

  it('shows a re-pull fetching, then importing, then its result with the IDs not found', async () => {
    const v = useVerify()
    v.resyncTarget = 1
    v.object = 'enrollments'
    v.ids = 'enr-1\nnobody'
    v.withDependencies = true
    await flushPromises()
    const run = v.resync()
    await flushPromises()
    expect(api.startResync).toHaveBeenCalledWith(1, 'enrollments', 'enr-1\nnobody', true)
    listeners[0].progress(progress('copying', 50, 100))
    await flushPromises()
    expect(text('resync-message')).toBe('Fetching Springfield SIS: Copying the file — 50 %')
    listeners[0].progress(progress('applying', 20, 100))
    await flushPromises()
    expect(text('resync-message')).toBe('Importing: Applying to the roster — 20 %')
    listeners[0].done({
      id: 'resync-1', kind: 'resync', status: 'succeeded', progress: progress('applying', 100, 100),
      result: { run: { run: 7, connectionId: 1, connection: 'Springfield SIS', direction: 'import', mode: 'ids', operator: 'registrar', status: 'succeeded', startedAt: '', finishedAt: '', counts: {}, message: '1 created, 1 updated, 0 deleted, 0 failed.' }, notFound: ['nobody'] },
    } as Job<unknown>)
    await run
    await flushPromises()
    expect(text('resync-message')).toBe('Run 7 finished.')
    expect(text('resync-not-found')).toContain('One ID is not in the source’s fetch: nothing was changed for it')
    expect(text('resync-not-found')).toContain('nobody')
  })
})
