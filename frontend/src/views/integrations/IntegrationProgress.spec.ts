import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Integration, Progress } from '../../api/types'

const api = vi.hoisted(() => ({ integrations: vi.fn(), onIntegrationsChanged: vi.fn(), onJob: vi.fn(), job: vi.fn(), cancel: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: IntegrationProgress } = await import('./IntegrationProgress.vue')
const { useIntegrations } = await import('../../stores/integrations')

const nightly: Integration = {
  id: 2, name: 'Nightly', type: 'import', connectionId: 1, connection: 'Springfield SIS', connectionKind: 'oneroster-csv', entities: null,
  schedule: 'daily 02:30', scheduleText: 'Every day at 02:30', conflict: '', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '', nextRun: '',
  running: true, jobId: 'integration-4', jobScheduled: true,
}

let w: VueWrapper | null = null
afterEach(() => w?.unmount())

describe('an integration row’s progress', () => {
  it('shows how far a run this window follows is, named for the integration, and nothing once it ends', async () => {
    setActivePinia(createPinia())
    const applying: Progress = { stage: 'applying', done: 30, total: 120, unit: 'bytes', rate: 0 }
    let done = () => {}
    api.onJob.mockImplementation((id: string, progress: (p: Progress) => void, end: (j: unknown) => void) => {
      queueMicrotask(() => progress(applying))
      done = () => end({ id, kind: 'integration', status: 'succeeded', progress: applying, result: null })
      return () => {}
    })
    api.job.mockResolvedValue({ id: 'integration-4', kind: 'integration', status: 'running', progress: applying })
    api.integrations.mockResolvedValue([nightly])
    await useIntegrations().refresh() // the scheduler's run, followed
    w = mountInApp(IntegrationProgress, { id: 2, name: 'Nightly' })
    await flushPromises()
    const bar = w.find('[data-testid="integration-progress"]')
    expect(bar.attributes('aria-label')).toBe('How far the run of Nightly is')
    expect(bar.attributes('aria-valuenow')).toBe('25')
    api.integrations.mockResolvedValue([{ ...nightly, running: false, jobId: '' }])
    done()
    await vi.waitFor(() => expect(w!.find('[data-testid="integration-progress"]').exists()).toBe(false))
  })
})
