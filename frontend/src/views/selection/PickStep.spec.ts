import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { fakeChoose, orgPage, schools, selection, view } from '../../testing/fixtures'

const api = vi.hoisted(() => ({
  selectionView: vi.fn(), previewSelection: vi.fn(), saveSelection: vi.fn(), downloadSheet: vi.fn(), readSheet: vi.fn(), pickPage: vi.fn(), choose: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))

const { useSelection, PREVIEW_MS } = await import('../../stores/selection')
const { mountInApp } = await import('../../testing/mountInApp')
const { default: PickStep } = await import('./PickStep.vue')

async function mountSchools() {
  const sel = useSelection()
  await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
  const w = mountInApp(PickStep, { what: 'orgs' })
  await flushPromises()
  const search = async (q: string) => {
    await w.find('[data-testid="pick-search"] input').setValue(q)
    await vi.advanceTimersByTimeAsync(200) // the typed word settles, then the backend answers
    await flushPromises()
  }
  const click = async (id: string) => {
    await w.find(`[data-testid="${id}"]`).trigger('click')
    await flushPromises()
  }
  return { sel, w, search, click }
}

describe('the schools step', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
    api.selectionView.mockReset().mockResolvedValue(view())
    api.previewSelection.mockReset().mockImplementation(async (_id: number, s) => view(s))
    api.saveSelection.mockReset().mockImplementation(async (_id: number, s) => view(s))
    api.pickPage.mockReset().mockImplementation(async (_id: number, s, q) =>
      orgPage(s, schools.filter((r) => (!q.search || r.name.toLowerCase().includes(q.search.toLowerCase())) && (!q.onlyChosen || s.orgsAll || s.orgs.includes(r.id)))))
    api.choose.mockReset().mockImplementation(async (_id: number, s, q) => fakeChoose(s, q))
  })

  it('selects all of the rows the search shows, and only those', async () => {
    const { sel, w, search, click } = await mountSchools()
    await search('lincoln')
    expect(w.find('[data-testid="pick-all"]').text()).toBe('Select the 2 shown')
    await click('pick-all')
    expect(sel.draft).toMatchObject({ orgsAll: false, orgs: ['org-1', 'org-2'] })
    expect(w.find('[data-testid="pick-chosen"]').text()).toBe('2 of 3 chosen')
    w.unmount()
  })

  it('choosing every school stores "all schools", and Select none on a search unchooses only what it shows', async () => {
    const { sel, w, search, click } = await mountSchools()
    await search('lincoln')
    await click('pick-all')
    await search('washington')
    await click('pick-all')
    expect(sel.draft).toMatchObject({ orgsAll: true, orgs: [] })
    await search('high')
    await click('pick-none')
    expect(sel.draft).toMatchObject({ orgsAll: false, orgs: ['org-1', 'org-3'] })
    w.unmount()
  })

  it('asks for the live totals once the clicks settle, and saves only a changed selection', async () => {
    const { sel, w, click } = await mountSchools()
    await click('pick-all')
    await click('pick-none')
    await click('pick-all')
    expect(api.previewSelection).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(PREVIEW_MS)
    expect(api.previewSelection).toHaveBeenCalledTimes(1)
    expect(api.previewSelection).toHaveBeenLastCalledWith(7, selection({ orgsAll: true, orgs: [] }))
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(7, selection({ orgsAll: true, orgs: [] }))
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledTimes(1)
    await flushPromises()
    w.unmount()
  })

  it('asks the backend for the page the search, "Show only chosen" and a sorted column show', async () => {
    api.selectionView.mockResolvedValue(view(selection({ orgs: ['org-3'] })))
    const { w } = await mountSchools()
    expect(w.findAll('[data-testid="pick-row"]')).toHaveLength(3)
    await w.find('[data-testid="pick-only-chosen"]').trigger('click')
    await flushPromises()
    expect(api.pickPage).toHaveBeenLastCalledWith(7, expect.anything(), expect.objectContaining({ what: 'orgs', onlyChosen: true, offset: 0 }))
    expect(w.findAll('[data-testid="pick-row"]').map((r) => r.attributes('data-id'))).toEqual(['org-3'])
    expect(w.find('[data-testid="pick-all"]').text()).toBe('Select the 1 shown')
    await w.find('th[data-col-key="users"]').trigger('click')
    await flushPromises()
    expect(api.pickPage).toHaveBeenLastCalledWith(7, expect.anything(), expect.objectContaining({ sort: 'users', offset: 0 }))
    w.unmount()
  })

  it('says what unticking a school of a chosen district did', async () => {
    const { sel, w } = await mountSchools()
    api.choose.mockResolvedValueOnce({ ...fakeChoose(sel.draft!, { ...sel.query, ids: ['org-2'], on: false }), split: ['Springfield District'], instead: 2, unticked: ['Lincoln High'] })
    await sel.choose(['org-2'], false)
    await flushPromises()
    expect(w.find('[data-testid="pick-split"]').text()).toContain(
      'Lincoln High no longer goes through. Springfield District was chosen, which sends all its schools: it is unticked now, and its other 2 schools are chosen one by one instead.')
    w.unmount()
  })
})
