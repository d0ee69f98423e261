import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { conflict } from '../testing/fixtures'

const api = vi.hoisted(() => ({ conflicts: vi.fn(), saveConflicts: vi.fn() }))
vi.mock('../api', () => ({ api }))
const { useConflicts, PAGE } = await import('./conflicts')

describe('conflicts store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.conflicts.mockReset().mockResolvedValue({ total: 3000, rows: [conflict], fields: ['familyName', 'givenName'] })
    api.saveConflicts.mockReset().mockResolvedValue('/home/registrar/Downloads/Roster conflicts.xlsx')
  })

  it('asks the backend for one page at a time', async () => {
    const c = useConflicts()
    await c.load()
    expect(api.conflicts).toHaveBeenLastCalledWith({ entity: '', field: '', search: '', offset: 0, limit: PAGE })
    await c.goTo(3)
    expect(api.conflicts).toHaveBeenLastCalledWith({ entity: '', field: '', search: '', offset: 2 * PAGE, limit: PAGE })
    expect(c.total).toBe(3000)
    expect(c.fields).toEqual(['familyName', 'givenName'])
  })

  it('a new filter starts at the first page; another entity clears the field', async () => {
    const c = useConflicts()
    await c.show({ entity: 'users', field: 'familyName' })
    await c.goTo(4)
    await c.show({ search: 'acosta' })
    expect(api.conflicts).toHaveBeenLastCalledWith({ entity: 'users', field: 'familyName', search: 'acosta', offset: 0, limit: PAGE })
    await c.show({ entity: 'classes' })
    expect(api.conflicts).toHaveBeenLastCalledWith({ entity: 'classes', field: '', search: 'acosta', offset: 0, limit: PAGE })
  })

  it('drops the answer to a search typed over', async () => {
    let answer: (v: unknown) => void = () => {}
    api.conflicts.mockImplementationOnce(() => new Promise((ok) => (answer = ok)))
    const c = useConflicts()
    const slow = c.show({ search: 'a' })
    await c.show({ search: 'acosta' })
    answer({ total: 9, rows: [], fields: [] })
    await slow
    expect(c.total).toBe(3000)
    expect(c.loading).toBe(false)
  })

  it('exports every conflict the filters match, not only the page shown', async () => {
    const c = useConflicts()
    await c.show({ entity: 'users', search: 'acosta' })
    await c.goTo(2)
    expect(await c.save()).toMatch(/Roster conflicts\.xlsx$/)
    expect(api.saveConflicts).toHaveBeenCalledWith({ entity: 'users', field: '', search: 'acosta', offset: 0, limit: 0 })
  })
})
