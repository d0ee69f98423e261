import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { card, heldRun } from '../../testing/fixtures'

const api = vi.hoisted(() => ({
  connections: vi.fn(), workspace: vi.fn(), removeConnection: vi.fn(), removalImpact: vi.fn(), startRemoveSource: vi.fn(),
  rosterSummary: vi.fn(), startFetch: vi.fn(), job: vi.fn(), cancel: vi.fn(), onJob: vi.fn(), integrations: vi.fn(), onIntegrationsChanged: vi.fn(),
}))
const summary = { counts: { users: 135000, enrollments: 624000 }, lastImport: null, conflicts: 18165, duplicates: 0 }
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: DashboardView } = await import('./DashboardView.vue')
const { useNav } = await import('../../stores/nav')

const target = { ...card, id: 2, name: 'Vendor drop', role: 'target' }
let w: VueWrapper | null = null
// mountDashboard shows the dashboard on these cards (a fresh store each time).
async function mountDashboard(cards: unknown[]): Promise<VueWrapper> {
  setActivePinia(createPinia())
  api.connections.mockReset().mockResolvedValue(cards)
  api.workspace.mockReset().mockResolvedValue({ path: '/home/registrar/workspace.db', connections: cards.length })
  api.rosterSummary.mockReset().mockResolvedValue(summary)
  const mounted = mountInApp(DashboardView)
  w = mounted
  await flushPromises()
  return mounted
}
afterEach(() => {
  w?.unmount()
  document.body.innerHTML = ''
})

const removeButton = (name: string) => w!.findAll('[data-testid="connection-card"]').find((c) => c.text().includes(name))!.find('[data-testid="card-remove"]')

describe('removing a connection from the dashboard', () => {
  beforeEach(async () => {
    api.removeConnection.mockReset().mockResolvedValue(undefined)
    api.removalImpact.mockReset().mockResolvedValue({ only: { users: 40 }, shared: {} })
    api.startRemoveSource.mockReset()
    await mountDashboard([card, target])
  })

  it('a target keeps the simple confirmation', async () => {
    await removeButton('Vendor drop').trigger('click')
    await vi.waitFor(() => expect(document.body.textContent).toContain('The connection and its stored password or key are removed.'), { timeout: 8000 }) // the dialog loads first
    expect(document.body.querySelector('[data-testid="remove-source"]')).toBeNull()
    clickInDialog('Remove')
    await flushPromises()
    expect(api.removeConnection).toHaveBeenCalledWith(2)
    expect(api.removalImpact).not.toHaveBeenCalled()
  })

  it('a source asks what becomes of the records only it supplies', async () => {
    await removeButton('Springfield SIS').trigger('click')
    await vi.waitFor(() => expect(api.removalImpact).toHaveBeenCalledWith(1), { timeout: 8000 }) // the dialog loads first
    await flushPromises()
    expect(document.body.querySelector('[data-testid="remove-only"]')?.textContent).toContain('40 records come from Springfield SIS alone')
    expect(api.removeConnection).not.toHaveBeenCalled()
  })
})

describe('a card whose last run is held', () => {
  it('offers Review, which opens that run in the wizard of its connection, at the sync step', async () => {
    await mountDashboard([{ ...card, lastRun: heldRun }, target])
    const reviews = w!.findAll('[data-testid="card-review"]')
    expect(reviews).toHaveLength(1)
    await reviews[0].trigger('click')
    const nav = useNav()
    expect(nav.view).toBe('wizard')
    expect(nav.wizard).toMatchObject({ step: 'sync', direction: 'import', heldRun })
    expect(nav.wizard?.card.id).toBe(card.id)
  })
})

describe('the roster summary', () => {
  it('counts the roster after the cards, and leads to the conflicts waiting', async () => {
    const d = await mountDashboard([card])
    expect(d.find('[data-testid="summary-count-users"]').text()).toBe('135,000')
    expect(d.find('[data-testid="summary-last-import"]').text()).toContain('Nothing imported yet')
    expect(d.find('[data-testid="summary-conflicts"]').text()).toBe('18,165 fields in conflict between sources.')
    expect(d.find('[data-testid="summary-open-duplicates"]').exists()).toBe(false)
    await d.find('[data-testid="summary-open-conflicts"]').trigger('click')
    await flushPromises()
    expect(useNav().view).toBe('conflicts')
  })
})

// A fetch started, then the registrar goes to another screen: back on the dashboard, the card shows
// the fetch running, then its result, and opens the report again.
describe('a job started before going to another screen', () => {
  const report = {
    connection: 'Springfield SIS', version: '1.1', source: '', fetchedAt: '2026-12-01T09:00:00Z', counts: { users: 400 }, failed: {}, modes: { users: 'bulk' },
    warnings: [{ file: 'users.csv', line: 3, column: 'email', message: 'blank email', severity: 'warning' }], errors: [],
  }
  let done: ((j: unknown) => void) | null = null

  it('keeps its progress, then its report, reachable from its card', async () => {
    api.startFetch.mockReset().mockResolvedValue('job-1')
    api.job.mockReset().mockResolvedValue({ id: 'job-1', status: 'running', progress: { stage: 'reading', done: 10, total: 100, unit: 'records', rate: 0 } })
    api.onJob.mockReset().mockImplementation((_id: string, _p: unknown, d: (j: unknown) => void) => {
      done = d
      return () => {}
    })
    let d = await mountDashboard([card])
    await d.find('[data-testid="card-fetch"]').trigger('click')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="task-dialog"] [data-testid="job-progress"]')).not.toBeNull()

    d.unmount() // the registrar goes to another screen, the fetch goes on
    document.body.innerHTML = ''
    d = w = mountInApp(DashboardView)
    await flushPromises()
    await vi.waitFor(() => expect(d.find('[data-testid="card-task"] [data-testid="job-progress"]').exists()).toBe(true))

    done!({ id: 'job-1', status: 'succeeded', progress: { stage: '', done: 100, total: 100, unit: 'records', rate: 0 }, result: report })
    await flushPromises()
    expect(d.find('[data-testid="card-task-outcome"]').text()).toBe('Fetch finished. Errors: 0, warnings: 1.')
    await d.find('[data-testid="card-task-open"]').trigger('click')
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="report-counts"]')?.textContent).toContain('400'))
    expect(document.body.querySelector('[data-testid="task-dialog"]')?.textContent).toContain('blank email')
  })
})

describe('a card one of whose integrations is running', () => {
  it('waits: its own Fetch, Import and Select are off until the run ends, other cards are not', async () => {
    api.integrations.mockReset().mockResolvedValue([{ id: 4, name: 'Nightly', type: 'import', connectionId: card.id, connection: card.name, running: true, jobId: '', jobScheduled: false }])
    const d = await mountDashboard([card, { ...card, id: 3, name: 'Other SIS' }])
    await flushPromises()
    const cards = d.findAll('[data-testid="connection-card"]')
    for (const id of ['card-fetch', 'card-import', 'card-select']) {
      expect(cards[0].find(`[data-testid="${id}"]`).attributes('disabled')).toBeDefined()
      expect(cards[1].find(`[data-testid="${id}"]`).attributes('disabled')).toBeUndefined()
    }
  })
})
