import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Integration, Job, Progress } from '../../api/types'
import { card, heldRun } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ integrations: vi.fn(), onIntegrationsChanged: vi.fn(), run: vi.fn(), onJob: vi.fn(), job: vi.fn(), cancel: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: CardIntegrations } = await import('./CardIntegrations.vue')
const { useIntegrations } = await import('../../stores/integrations')
const { useNav } = await import('../../stores/nav')

const integration = (patch: Partial<Integration>): Integration => ({
  id: 1, name: 'Import from Springfield SIS', type: 'import', connectionId: 1, connection: 'Springfield SIS', connectionKind: 'oneroster-csv',
  entities: null, schedule: 'manual', scheduleText: 'By hand', conflict: '', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '', nextRun: '',
  running: false, ...patch,
})

let w: VueWrapper | null = null
afterEach(() => {
  w?.unmount()
  document.body.innerHTML = ''
})

async function mountCard(list: Integration[]) {
  setActivePinia(createPinia())
  api.integrations.mockReset().mockResolvedValue(list)
  await useIntegrations().refresh()
  w = mountInApp(CardIntegrations, { card })
  await flushPromises()
  return w
}

describe('a connection card’s integrations', () => {
  it('shows a run going, a scheduled run that failed or was held (not one run by hand), and the soonest next run', async () => {
    await mountCard([
      integration({ id: 1, lastRunId: 7, lastResult: 'failed', lastRunAt: '2026-03-09T07:30:00Z' }), // by hand: its card already says
      integration({ id: 2, name: 'Nightly', schedule: 'daily 02:30', lastRunId: 8, lastResult: 'failed', lastRunAt: '2026-03-09T07:30:00Z', nextRun: '2026-03-10T07:30:00Z' }),
      integration({ id: 3, name: 'Weekly', schedule: 'weekly mon 06:00', lastRunId: 9, lastResult: 'held', nextRun: '2026-03-09T11:00:00Z' }),
      integration({ id: 4, name: 'Hourly, off', schedule: 'hourly :05', enabled: false, nextRun: '', running: true }),
      integration({ id: 5, name: 'Other connection', connectionId: 2, schedule: 'hourly :05', lastResult: 'failed', nextRun: '2026-03-09T08:05:00Z' }),
    ])
    const problems = w!.findAll('[data-testid="card-scheduled-problem"]')
    expect(problems.map((p) => p.text())).toEqual([
      expect.stringMatching(/^Scheduled run of Nightly failed .+Open in History$/),
      expect.stringMatching(/^Scheduled run of Weekly held for review .+ReviewOpen in History$/),
    ])
    expect(w!.find('[data-testid="card-next-run"]').text()).toMatch(/^Next run: Weekly, /)
    // A run its schedule started (no job of this page's) still shows.
    expect(w!.findAll('[data-testid="card-integration-running"]').map((r) => r.text())).toEqual(['Hourly, off is running now.'])
    await problems[0].find('[data-testid="card-scheduled-history"]').trigger('click')
    await flushPromises()
    expect(useNav()).toMatchObject({ view: 'history', historyRun: 8 })
  })

  it('a run the window’s scheduler started shows its progress, which can be cancelled, then its outcome, and opens its result', async () => {
    let progress: (p: Progress) => void = () => {}
    let done: (j: Job) => void = () => {}
    api.onJob.mockReset().mockImplementation((_id: string, p: (p: Progress) => void, d: (j: Job) => void) => {
      ;[progress, done] = [p, d]
      return () => {}
    })
    const applying: Progress = { stage: 'applying', done: 25, total: 100, unit: 'bytes', rate: 0 }
    api.job.mockReset().mockResolvedValue({ id: 'integration-4', kind: 'integration', status: 'running', progress: applying }) // the poll's
    api.cancel.mockReset().mockResolvedValue(true)
    await mountCard([integration({ id: 2, name: 'Nightly', schedule: 'daily 02:30', running: true, jobId: 'integration-4', jobScheduled: true })])
    progress(applying)
    const task = () => w!.find('[data-testid="card-integration-task"]')
    await vi.waitFor(() => expect(task().find('[data-testid="job-progress"]').exists()).toBe(true), { timeout: 8000 }) // the card's task loads first
    expect(task().text()).toMatch(/^Scheduled run of Nightly/)
    expect(task().find('[role="progressbar"]').attributes('aria-valuenow')).toBe('25')
    expect(w!.find('[data-testid="card-integration-running"]').exists()).toBe(false) // said once, with its progress
    await task().find('[data-testid="job-cancel"]').trigger('click')
    expect(api.cancel).toHaveBeenCalledWith('integration-4')
    api.integrations.mockResolvedValue([integration({ id: 2, name: 'Nightly', schedule: 'daily 02:30', lastRunId: 12, lastResult: 'succeeded' })])
    done({ id: 'integration-4', kind: 'integration', status: 'succeeded', progress: { stage: '', done: 0, total: 0, unit: 'records', rate: 0 },
      result: { integration: 'Nightly', run: { ...heldRun, run: 12, status: 'succeeded', message: 'Imported.' }, plan: null } })
    await vi.waitFor(() => expect(task().find('[data-testid="card-task-outcome"]').text()).toBe('Run 12: Imported.'))
    await task().find('[data-testid="card-task-open"]').trigger('click')
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="card-integration-dialog"] [data-testid="job-result"]')).not.toBeNull(), { timeout: 8000 })
    expect(document.body.querySelector('[data-testid="card-integration-dialog"]')?.textContent).toContain('Scheduled run of Nightly')
  })

  it('Review opens the held run in the selection wizard', async () => {
    api.run.mockReset().mockResolvedValue({ run: { ...heldRun, run: 9 }, records: [], more: 0 })
    await mountCard([integration({ id: 3, name: 'Weekly', schedule: 'weekly mon 06:00', lastRunId: 9, lastResult: 'held' })])
    await w!.find('[data-testid="card-scheduled-review"]').trigger('click')
    await flushPromises()
    expect(api.run).toHaveBeenCalledWith(9)
    expect(useNav().wizard).toMatchObject({ step: 'sync', direction: 'import', heldRun: { run: 9 } })
  })

  it('says nothing when no integration is scheduled', async () => {
    await mountCard([integration({})])
    expect(w!.text()).toBe('')
  })
})
