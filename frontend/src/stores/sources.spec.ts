import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Source } from '../api/types'
import { heldRun } from '../testing/fixtures'

const api = vi.hoisted(() => ({ sources: vi.fn(), setPrecedence: vi.fn() }))
vi.mock('../api', () => ({ api }))
const { useSources, moved } = await import('./sources')

const source = (id: number, name: string, precedence: number): Source => ({ id, name, kind: 'oneroster-csv', kindLabel: 'OneRoster CSV', precedence, ids: 'shared' })
let saved: Source[]

describe('sources store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    saved = [source(1, 'Springfield SIS', 1), source(4, 'District API', 2), source(9, 'Nurse office sheet', 3)]
    api.sources.mockReset().mockImplementation(async () => saved)
    api.setPrecedence.mockReset().mockImplementation(async (ids: number[]) => {
      saved = ids.map((id, i) => ({ ...saved.find((s) => s.id === id)!, precedence: i + 1 }))
      return { ...heldRun, status: 'succeeded', message: `Order: ${saved.map((s) => s.name).join(', ')} first.` }
    })
  })

  it('moves an item to another place, leaving out-of-range moves alone', () => {
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b'])
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moved(['a', 'b', 'c'], 2, 3)).toEqual(['a', 'b', 'c'])
  })

  it('saves the whole new order at once and shows the order read back', async () => {
    const s = useSources()
    await s.refresh()
    expect((await s.move(2, 0))?.message).toBe('Order: Nurse office sheet, Springfield SIS, District API first.')
    expect(api.setPrecedence).toHaveBeenCalledWith([9, 1, 4])
    expect(s.list.map((x) => [x.name, x.precedence])).toEqual([['Nurse office sheet', 1], ['Springfield SIS', 2], ['District API', 3]])
  })

  it('saves nothing when the order does not change', async () => {
    const s = useSources()
    await s.refresh()
    expect(await s.move(1, 1)).toBeNull()
    expect(await s.move(0, -1)).toBeNull()
    expect(api.setPrecedence).not.toHaveBeenCalled()
  })

  it('shows the order really saved when saving fails', async () => {
    const s = useSources()
    await s.refresh()
    api.setPrecedence.mockRejectedValueOnce(new Error('the workspace is read-only'))
    await expect(s.move(0, 2)).rejects.toThrow('read-only')
    expect(s.list.map((x) => x.id)).toEqual([1, 4, 9])
    expect(s.saving).toBe(false)
  })
})
