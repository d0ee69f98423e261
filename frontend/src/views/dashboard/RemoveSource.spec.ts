import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Job, JobStatus } from '../../api/types'
import { card } from '../../testing/fixtures'

// A fake backend: the removal job ends at once with the status the test sets.
const backend = vi.hoisted(() => ({ status: 'succeeded' as JobStatus }))
const api = vi.hoisted(() => ({
  removalImpact: vi.fn(),
  startRemoveSource: vi.fn(),
  job: vi.fn(),
  cancel: vi.fn(),
  onJob: (id: string, _progress: unknown, done: (j: Job) => void) => {
    if (backend.status !== 'running') { // a running job never ends here
      queueMicrotask(() => done({ id, kind: 'remove', status: backend.status, progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 }, result: null }))
    }
    return () => {}
  },
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: RemoveSource } = await import('./RemoveSource.vue')

let w: VueWrapper | null = null
const find = (id: string) => w!.find(`[data-testid="${id}"]`)
const emitted = () => w!.findComponent(RemoveSource).emitted()

describe('removing a source', () => {
  beforeEach(() => {
    api.removalImpact.mockReset()
    api.startRemoveSource.mockReset().mockResolvedValue('job-1')
    api.cancel.mockReset()
    api.job.mockReset().mockResolvedValue({ id: 'job-1', kind: 'remove', status: 'running', progress: { stage: 'releasing', done: 1, total: 2, unit: 'records', rate: 0 } })
    backend.status = 'succeeded'
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('says how many records only it supplies, that shared ones stay, and marks them tobedeleted when asked', async () => {
    api.removalImpact.mockResolvedValue({ only: { users: 40, enrollments: 1200 }, shared: { orgs: 3, users: 360 } })
    w = mountInApp(RemoveSource, { card })
    await flushPromises()
    expect(api.removalImpact).toHaveBeenCalledWith(1)
    expect(find('remove-only').text()).toBe('1,240 records come from Springfield SIS alone (Users: 40, Enrollments: 1,200).')
    expect(find('remove-shared').text()).toContain('Records other sources supply too (Orgs: 3, Users: 360) stay, with their values from those sources.')
    expect(find('remove-keep').find('input').element.checked).toBe(true) // keeping them is the default
    await find('remove-mark').find('input').setValue(true)
    await find('remove-confirm').trigger('click')
    await flushPromises()
    expect(api.startRemoveSource).toHaveBeenCalledWith(1, false)
    expect(emitted().removed).toEqual([[true]])
  })

  it('keeps them by default', async () => {
    api.removalImpact.mockResolvedValue({ only: { users: 1 }, shared: null })
    w = mountInApp(RemoveSource, { card })
    await flushPromises()
    expect(find('remove-only').text()).toBe('One record comes from Springfield SIS alone (Users: 1).')
    expect(find('remove-shared').exists()).toBe(false)
    await find('remove-confirm').trigger('click')
    await flushPromises()
    expect(api.startRemoveSource).toHaveBeenCalledWith(1, true)
    expect(emitted().removed).toEqual([[false]])
  })

  it('a source that supplies nothing alone asks nothing more', async () => {
    api.removalImpact.mockResolvedValue({ only: {}, shared: { users: 400 } })
    w = mountInApp(RemoveSource, { card })
    await flushPromises()
    expect(find('remove-only').text()).toBe('No record comes from Springfield SIS alone.')
    expect(find('remove-mark').exists()).toBe(false)
    await find('remove-confirm').trigger('click')
    await flushPromises()
    expect(api.startRemoveSource).toHaveBeenCalledWith(1, true)
  })

  it('a cancelled removal says so and leaves the dialog open', async () => {
    api.removalImpact.mockResolvedValue({ only: { users: 1 }, shared: null })
    backend.status = 'cancelled'
    w = mountInApp(RemoveSource, { card })
    await flushPromises()
    await find('remove-confirm').trigger('click')
    await flushPromises()
    expect(find('job-cancelled').exists()).toBe(true)
    expect(emitted().removed).toBeUndefined()
  })

  it('closing the dialog while the source is being removed cancels the removal', async () => {
    api.removalImpact.mockResolvedValue({ only: { users: 1 }, shared: null })
    backend.status = 'running'
    w = mountInApp(RemoveSource, { card })
    await flushPromises()
    void find('remove-confirm').trigger('click')
    await flushPromises()
    expect(find('job-progress').exists()).toBe(true)
    expect(api.cancel).not.toHaveBeenCalled()
    w.unmount()
    w = null
    expect(api.cancel).toHaveBeenCalledWith('job-1')
  })

  it('when the counts cannot be read, nothing is removed', async () => {
    api.removalImpact.mockRejectedValue(new Error('the workspace is locked'))
    w = mountInApp(RemoveSource, { card })
    await flushPromises()
    expect(emitted().cancel).toHaveLength(1)
    expect(api.startRemoveSource).not.toHaveBeenCalled()
  })
})
