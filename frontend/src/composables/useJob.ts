import { getCurrentScope, onScopeDispose, reactive } from 'vue'
import { api, AppError, type Job, type JobStatus, type Progress } from '../api'
import { toAppError } from '../api/call'

export interface JobState<T> {
  id: string
  kind: string
  status: JobStatus | 'idle'
  progress: Progress
  result: T | null
  error: AppError | null
}

const POLL_MS = 500

// useJob runs one background job at a time: start() resolves when the job ends, progress arrives by
// events, and a poll every 500 ms catches up when an event was missed, so the panel never hangs.
export function useJob<T>() {
  const state = reactive<JobState<T>>({
    id: '', kind: '', status: 'idle', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 }, result: null, error: null,
  }) as JobState<T>
  let stop: (() => void) | null = null

  function finish(job: Job<T>, resolve: () => void) {
    if (state.id !== job.id || state.status !== 'running') return
    stop?.()
    stop = null
    state.status = job.status
    state.progress = job.progress ?? state.progress
    state.result = (job.result as T) ?? null
    state.error = job.error ? new AppError(job.error) : null
    resolve()
  }

  async function start(kind: string, starter: () => Promise<string>): Promise<JobState<T>> {
    stop?.()
    Object.assign(state, { id: '', kind, status: 'running', result: null, error: null, progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 } })
    let id: string
    try {
      id = await starter()
    } catch (e) {
      Object.assign(state, { status: 'failed', error: toAppError(e) })
      return state
    }
    state.id = id
    await new Promise<void>((resolve) => {
      const offEvents = api.onJob<T>(id, (p) => { if (state.id === id) state.progress = p }, (j) => finish(j, resolve))
      const timer = setInterval(async () => {
        try {
          const j = await api.job<T>(id)
          if (j.status === 'running') {
            if (state.id === id) state.progress = j.progress
          } else {
            finish(j, resolve)
          }
        } catch {
          // the next poll or the done event will tell
        }
      }, POLL_MS)
      stop = () => { offEvents(); clearInterval(timer) }
    })
    return state
  }

  async function cancel() {
    if (state.status === 'running' && state.id) await api.cancel(state.id)
  }

  function reset() {
    stop?.()
    stop = null
    Object.assign(state, { id: '', kind: '', status: 'idle', result: null, error: null })
  }

  // A job started by a store outlives any component: it stops listening only when it ends.
  if (getCurrentScope()) onScopeDispose(() => stop?.())
  return { state, start, cancel, reset }
}
