import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { selection, view } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ selectionView: vi.fn(), previewSelection: vi.fn(), saveSelection: vi.fn(), downloadSheet: vi.fn(), readSheet: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))

const { useSelection, PREVIEW_MS } = await import('../../stores/selection')
const { mountInApp } = await import('../../testing/mountInApp')
const { default: PickStep } = await import('./PickStep.vue')

async function mountSchools() {
  const sel = useSelection()
  await sel.open(1)
  const w = mountInApp(PickStep, { what: 'orgs' })
  const search = async (q: string) => w.find('[data-testid="pick-search"] input').setValue(q)
  const click = async (id: string) => w.find(`[data-testid="${id}"]`).trigger('click')
  return { sel, w, search, click }
}

describe('the schools step', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
    api.selectionView.mockReset().mockResolvedValue(view())
    api.previewSelection.mockReset().mockImplementation(async (_id: number, s) => view(s))
    api.saveSelection.mockReset().mockImplementation(async (_id: number, s) => view(s))
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
    expect(api.previewSelection).toHaveBeenLastCalledWith(1, selection({ orgsAll: true, orgs: [] }))
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(1, selection({ orgsAll: true, orgs: [] }))
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledTimes(1)
    await flushPromises()
    w.unmount()
  })
})
