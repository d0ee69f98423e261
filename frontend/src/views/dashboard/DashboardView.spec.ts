import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { card, heldRun } from '../../testing/fixtures'

const api = vi.hoisted(() => ({
  connections: vi.fn(), workspace: vi.fn(), removeConnection: vi.fn(), removalImpact: vi.fn(), startRemoveSource: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: DashboardView } = await import('./DashboardView.vue')
const { useNav } = await import('../../stores/nav')

const target = { ...card, id: 2, name: 'Vendor drop', role: 'target' }
let w: VueWrapper | null = null
const removeButton = (name: string) => w!.findAll('[data-testid="connection-card"]').find((c) => c.text().includes(name))!.find('[data-testid="card-remove"]')

describe('removing a connection from the dashboard', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    api.connections.mockReset().mockResolvedValue([card, target])
    api.workspace.mockReset().mockResolvedValue({ path: '/home/registrar/workspace.db', connections: 2 })
    api.removeConnection.mockReset().mockResolvedValue(undefined)
    api.removalImpact.mockReset().mockResolvedValue({ only: { users: 40 }, shared: {} })
    api.startRemoveSource.mockReset()
    w = mountInApp(DashboardView)
    await flushPromises()
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('a target keeps the simple confirmation', async () => {
    await removeButton('Vendor drop').trigger('click')
    await vi.waitFor(() => expect(document.body.textContent).toContain('The connection and its stored password or key are removed.'))
    expect(document.body.querySelector('[data-testid="remove-source"]')).toBeNull()
    clickInDialog('Remove')
    await flushPromises()
    expect(api.removeConnection).toHaveBeenCalledWith(2)
    expect(api.removalImpact).not.toHaveBeenCalled()
  })

  it('a source asks what becomes of the records only it supplies', async () => {
    await removeButton('Springfield SIS').trigger('click')
    await flushPromises()
    expect(api.removalImpact).toHaveBeenCalledWith(1)
    expect(document.body.querySelector('[data-testid="remove-only"]')?.textContent).toContain('40 records come from Springfield SIS alone')
    expect(api.removeConnection).not.toHaveBeenCalled()
  })
})

describe('a card whose last run is held', () => {
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('offers Review, which opens that run in the wizard of its connection, at the sync step', async () => {
    setActivePinia(createPinia())
    const held = { ...card, lastRun: heldRun }
    api.connections.mockReset().mockResolvedValue([held, target])
    api.workspace.mockReset().mockResolvedValue({ path: '/home/registrar/workspace.db', connections: 2 })
    w = mountInApp(DashboardView)
    await flushPromises()
    const reviews = w.findAll('[data-testid="card-review"]')
    expect(reviews).toHaveLength(1)
    await reviews[0].trigger('click')
    const nav = useNav()
    expect(nav.view).toBe('wizard')
    expect(nav.wizard).toMatchObject({ step: 'sync', direction: 'import', heldRun })
    expect(nav.wizard?.card.id).toBe(card.id)
  })
})
