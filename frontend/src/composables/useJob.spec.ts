import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import type { Job, Progress } from '../api/types'

// A fake bridge: the test plays the backend's events and answers to polls.
const bridge = vi.hoisted(() => ({
  progress: null as ((p: Progress) => void) | null,
  done: null as ((j: Job) => void) | null,
  poll: vi.fn(),
  cancel: vi.fn(),
  unsubscribed: 0,
}))

vi.mock('../api', async () => {
  const call = await vi.importActual<typeof import('../api/call')>('../api/call')
  return {
    AppError: call.AppError,
    api: {
      onJob: (_id: string, onProgress: (p: Progress) => void, onDone: (j: Job) => void) => {
        bridge.progress = onProgress
        bridge.done = onDone
        return () => bridge.unsubscribed++
      },
      job: bridge.poll,
      cancel: bridge.cancel,
    },
  }
})

const { useJob } = await import('./useJob')

const running: Job = { id: 'fetch-1', kind: 'fetch', status: 'running', progress: { stage: 'checking', done: 1, total: 4, unit: 'bytes', rate: 0 } }

describe('useJob', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    bridge.poll.mockReset().mockResolvedValue(running)
    bridge.cancel.mockReset().mockResolvedValue(true)
    bridge.unsubscribed = 0
  })
  afterEach(() => vi.useRealTimers())

  it('follows progress events and ends with the result', async () => {
    const scope = effectScope()
    const job = scope.run(() => useJob<{ n: number }>())!
    const finished = job.start('fetch', async () => 'fetch-1')
    await vi.waitFor(() => expect(bridge.done).not.toBeNull())
    bridge.progress!({ stage: 'checking', done: 2, total: 4, unit: 'bytes', rate: 10 })
    expect(job.state.progress.done).toBe(2)
    bridge.done!({ ...running, status: 'succeeded', result: { n: 7 } })
    await finished
    expect(job.state.status).toBe('succeeded')
    expect(job.state.result).toEqual({ n: 7 })
    expect(bridge.unsubscribed).toBe(1)
    scope.stop()
  })

  it('catches up by polling when the done event is missed', async () => {
    const scope = effectScope()
    const job = scope.run(() => useJob())!
    const finished = job.start('import', async () => 'fetch-1')
    await vi.waitFor(() => expect(bridge.done).not.toBeNull())
    bridge.poll.mockResolvedValue({ ...running, status: 'failed', error: { code: 'bad_input', message: 'export.zip is not a ZIP file' } })
    await vi.advanceTimersByTimeAsync(600)
    await finished
    expect(job.state.status).toBe('failed')
    expect(job.state.error?.message).toContain('not a ZIP')
    scope.stop()
  })

  it('cancels the running job and reports a start that fails', async () => {
    const scope = effectScope()
    const job = scope.run(() => useJob())!
    const finished = job.start('fetch', async () => 'fetch-1')
    await vi.waitFor(() => expect(bridge.done).not.toBeNull())
    await job.cancel()
    expect(bridge.cancel).toHaveBeenCalledWith('fetch-1')
    bridge.done!({ ...running, status: 'cancelled', error: { code: 'cancelled', message: 'Cancelled.' } })
    await finished
    expect(job.state.status).toBe('cancelled')

    await job.start('demo', () => Promise.reject({ code: 'invalid', message: 'Choose between 10 and 200,000 students' }))
    expect(job.state.status).toBe('failed')
    expect(job.state.error?.code).toBe('invalid')
    scope.stop()
  })
})
