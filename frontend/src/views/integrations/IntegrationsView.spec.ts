import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Integration, Progress } from '../../api/types'

const api = vi.hoisted(() => ({
  integrations: vi.fn(), onIntegrationsChanged: vi.fn(), connections: vi.fn(), workspace: vi.fn(), startIntegrationRun: vi.fn(), onJob: vi.fn(), job: vi.fn(),
  cancel: vi.fn(), removeIntegration: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: IntegrationsView } = await import('./IntegrationsView.vue')

const sync: Integration = {
  id: 6, name: 'Sync the drop', type: 'sync', connectionId: 4, connection: 'Drop', connectionKind: 'oneroster-csv', entities: null, schedule: 'manual',
  scheduleText: 'Only when started by hand', conflict: 'ask', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '', nextRun: '', running: false,
}

let w: VueWrapper | null = null
afterEach(() => {
  w?.unmount()
  document.body.innerHTML = ''
})

async function mountView() {
  setActivePinia(createPinia())
  api.integrations.mockReset().mockResolvedValue([sync])
  api.connections.mockReset().mockResolvedValue([])
  api.workspace.mockReset().mockResolvedValue({ path: '', connections: 0, logs: '' })
  w = mountInApp(IntegrationsView)
  await flushPromises()
  return w
}

describe('the Integrations page', () => {
  it('shows a sync’s progress in its own words', async () => {
    const progress: Progress = { stage: 'reading the roster', done: 2, total: 8, unit: 'files', rate: 0 }
    api.startIntegrationRun.mockReset().mockResolvedValue('job-1')
    api.onJob.mockReset().mockImplementation((_id: string, onProgress: (p: Progress) => void) => {
      queueMicrotask(() => onProgress(progress))
      return () => {}
    })
    api.job.mockReset().mockResolvedValue({ id: 'job-1', kind: 'integration', status: 'running', progress })
    await mountView()
    await w!.find('[data-testid="integration-run"]').trigger('click')
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="job-progress"]')?.textContent).toContain('Reading the roster'), { timeout: 8000 }) // the dialog and its panel load first
    expect(api.startIntegrationRun).toHaveBeenCalledWith(6, false, '')
  })

  it('deletes an integration only once asked, saying its connection stays', async () => {
    api.removeIntegration.mockReset().mockResolvedValue(undefined)
    await mountView()
    await w!.find('[data-testid="integration-remove"]').trigger('click')
    await flushPromises()
    expect(document.body.querySelector('.n-dialog')?.textContent).toContain('its selection and its mappings are deleted. The connection Drop, its other integrations, the roster and the history all stay.')
    expect(api.removeIntegration).not.toHaveBeenCalled()
    api.integrations.mockResolvedValue([])
    clickInDialog('Delete')
    await flushPromises()
    expect(api.removeIntegration).toHaveBeenCalledWith(6)
    await vi.waitFor(() => expect(w!.find('[data-testid="integrations-empty"]').exists()).toBe(true), { timeout: 5000 })
  })
})
