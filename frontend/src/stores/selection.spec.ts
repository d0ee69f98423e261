import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeChoose, orgPage, selection, view } from '../testing/fixtures'

const api = vi.hoisted(() => ({ selectionView: vi.fn(), saveSelection: vi.fn(), previewSelection: vi.fn(), resetSelection: vi.fn(), pickPage: vi.fn(), choose: vi.fn() }))
vi.mock('../api', () => ({ api }))

const { useSelection, PREVIEW_MS } = await import('./selection')

describe('selection store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => f.mockReset())
    api.saveSelection.mockImplementation(async (_id: number, sel) => view({ ...sel, saved: true }))
    api.previewSelection.mockImplementation(async (_id: number, sel) => view(sel))
    api.pickPage.mockImplementation(async (_id: number, sel) => orgPage(sel))
    api.choose.mockImplementation(async (_id: number, sel, q) => fakeChoose(sel, q))
  })

  it('saves the proposed default of a connection nobody chose for, even unchanged, but only when asked', async () => {
    api.selectionView.mockResolvedValue(view(selection({ saved: false, orgsAll: true })))
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    expect([sel.unsaved, sel.changed]).toEqual([true, false])
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ orgsAll: true }))
    expect(sel.unsaved).toBe(false)
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledTimes(1) // nothing new to save
  })

  it('saves a saved selection only once it changes', async () => {
    api.selectionView.mockResolvedValue(view(selection({ orgs: ['org-1'] })))
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    await sel.save()
    expect(api.saveSelection).not.toHaveBeenCalled()
    await sel.choose(['org-2'], true)
    expect(sel.changed).toBe(true)
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ orgsAll: false, orgs: ['org-1', 'org-2'] }))
  })

  it('changing and changing back is no change', async () => {
    api.selectionView.mockResolvedValue(view(selection({ orgsAll: true, orgs: null })))
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    await sel.choose(['org-1'], false)
    expect(sel.changed).toBe(true)
    await sel.choose(['org-1'], true) // every school again: "all", with an empty list
    expect(sel.draft).toMatchObject({ orgsAll: true, orgs: [] })
    expect(sel.changed).toBe(false)
  })

  it('discard puts back the stored selection and its lists, saving nothing', async () => {
    const stored = view(selection({ classesAll: true }))
    api.selectionView.mockResolvedValue(stored)
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    sel.change({ classesAll: false, classes: [] }) // Select none on Classes
    await sel.settle()
    expect(sel.view!.selection.classesAll).toBe(false)
    sel.discard()
    expect(sel.changed).toBe(false)
    expect(sel.draft).toEqual(stored.selection)
    expect(sel.view).toEqual(stored)
    expect(api.saveSelection).not.toHaveBeenCalled()
  })

  it('settle asks at once for the lists of a draft still waiting for clicks to settle', async () => {
    vi.useFakeTimers()
    try {
      api.selectionView.mockResolvedValue(view())
      const sel = useSelection()
      await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
      await sel.choose(['org-3'], true)
      expect(api.previewSelection).not.toHaveBeenCalled()
      await sel.settle()
      expect(api.previewSelection).toHaveBeenCalledTimes(1)
      expect(sel.view!.selection.orgs).toEqual(['org-3'])
      await vi.advanceTimersByTimeAsync(PREVIEW_MS)
      expect(api.previewSelection).toHaveBeenCalledTimes(1) // not asked twice
    } finally {
      vi.useRealTimers()
    }
  })

  it('a tick shows at once and the answer of the backend follows; ticks apply one after the other', async () => {
    api.selectionView.mockResolvedValue(view(selection({ orgs: [] })))
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    await sel.list({ what: 'orgs' })
    expect(sel.page!.chosen).toBe(0)
    const first = sel.choose(['org-1'], true)
    expect(sel.page!.orgs.find((r) => r.id === 'org-1')!.selected).toBe(true) // before the answer
    expect(sel.page!.chosen).toBe(1)
    const second = sel.choose(['org-2'], true)
    await Promise.all([first, second])
    expect(api.choose).toHaveBeenLastCalledWith(7, expect.objectContaining({ orgs: ['org-1'] }), expect.objectContaining({ ids: ['org-2'], on: true }))
    expect(sel.draft!.orgs).toEqual(['org-1', 'org-2'])
    expect(sel.page!.chosen).toBe(2)
    const none = sel.choose(null, false) // Select none, no search: every row, counted at once
    expect([sel.page!.chosen, sel.page!.orgs.some((r) => r.selected)]).toEqual([0, false])
    await none
    expect(sel.draft).toMatchObject({ orgsAll: false, orgs: [] })
  })

  it('a page asked for while a tick is on its way shows the tick', async () => {
    // Select none with a search in the box, cleared before the backend answers: the page of the
    // cleared search must show what Select none did, not the lists from before it.
    api.selectionView.mockResolvedValue(view(selection({ orgsAll: true, orgs: null })))
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    await sel.list({ what: 'orgs', search: 'e' })
    const all = sel.page!.chosen
    expect(all).toBeGreaterThan(0)
    let answer = () => {}
    api.choose.mockImplementationOnce((_id: number, s, q) => new Promise((ok) => (answer = () => ok(fakeChoose(s, q)))))
    const none = sel.choose(null, false)
    await new Promise((r) => setTimeout(r, 0)) // the tick is with the backend
    const cleared = sel.list({ search: '' })
    await new Promise((r) => setTimeout(r, 0))
    answer()
    await Promise.all([none, cleared])
    expect(sel.draft).toMatchObject({ orgsAll: false })
    expect(sel.page!.orgs.filter((r) => r.selected).map((r) => r.id)).toEqual(sel.draft!.orgs)
    expect(sel.page!.chosen).toBe(sel.draft!.orgs!.length)
    expect(sel.page!.chosen).toBeLessThan(all)
  })

  it('says why nothing goes through', async () => {
    api.selectionView.mockResolvedValue({ ...view(selection({ orgs: [] })), totals: { orgs: 0, classes: 0, users: 0 } })
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    expect(sel.nothing).toBe('noSchool')
    sel.view = { ...sel.view!, totals: { orgs: 2, classes: 3, users: 0 } }
    expect(sel.nothing).toBe('noUser')
    sel.change({ statuses: [] })
    expect(sel.nothing).toBe('noStatus')
    sel.view = { ...sel.view!, totals: { orgs: 2, classes: 3, users: 5 } }
    expect(sel.nothing).toBe('')
  })
  it('keeps long lists in the backend: a held answer makes the draft carry no lists, until saved or discarded', async () => {
    const stored = view(selection({ classesAll: true }))
    api.selectionView.mockResolvedValue(stored)
    // The backend holds 24,000 chosen classes and answers without them.
    api.choose.mockImplementation(async (_id: number, sel, q) => ({ ...fakeChoose(sel, q), selection: { ...sel, classesAll: false, classes: null, held: true } }))
    const sel = useSelection()
    await sel.open({ connectionId: 3, direction: 'import', integrationId: 7 })
    await sel.choose(['cls-1'], false)
    expect(sel.draft).toMatchObject({ held: true, classesAll: false, classes: [] })
    expect(sel.changed).toBe(true)
    await sel.choose(null, false)
    expect(api.choose.mock.calls[1][1]).toMatchObject({ held: true, classes: [] }) // the second tick sent no list
    await sel.settle()
    expect(api.previewSelection).toHaveBeenLastCalledWith(7, expect.objectContaining({ held: true }))
    // An uploaded spreadsheet's selection is whole: the draft is no longer held.
    sel.apply(selection({ classesAll: false, classes: ['cls-2'] }))
    expect(sel.draft!.held).toBe(false)
    await sel.choose(['cls-1'], false)
    sel.discard()
    expect(sel.draft).toEqual(stored.selection)
    expect(sel.changed).toBe(false)
    await sel.choose(['cls-1'], false)
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ held: true }))
  })
})
