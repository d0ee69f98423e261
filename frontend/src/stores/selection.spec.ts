import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { selection, view } from '../testing/fixtures'

const api = vi.hoisted(() => ({ selectionView: vi.fn(), saveSelection: vi.fn(), previewSelection: vi.fn(), resetSelection: vi.fn() }))
vi.mock('../api', () => ({ api }))

const { useSelection } = await import('./selection')

describe('selection store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => f.mockReset())
    api.saveSelection.mockImplementation(async (_id: number, sel) => view({ ...sel, saved: true }))
  })

  it('saves the proposed default of a connection nobody chose for, even unchanged', async () => {
    api.selectionView.mockResolvedValue(view(selection({ saved: false, orgsAll: true })))
    const sel = useSelection()
    await sel.open(7)
    expect(sel.dirty).toBe(true)
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ orgsAll: true }))
    expect(sel.dirty).toBe(false)
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledTimes(1) // nothing new to save
  })

  it('saves a saved selection only once it changes', async () => {
    api.selectionView.mockResolvedValue(view(selection({ orgs: ['org-1'] })))
    const sel = useSelection()
    await sel.open(7)
    await sel.save()
    expect(api.saveSelection).not.toHaveBeenCalled()
    sel.choose('orgs', ['org-2'], true)
    await sel.save()
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ orgsAll: false, orgs: ['org-1', 'org-2'] }))
  })
})
