import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const browse = vi.hoisted(() => vi.fn())
const browseIds = vi.hoisted(() => vi.fn())
vi.mock('../api', () => ({ api: { browse, browseIds, rosterCounts: vi.fn() } }))

const { useRoster, WINDOW, noFilter } = await import('./roster')
const any = noFilter()

// A roster of 100,000 users: Browse answers any window of it.
function serve(total: number) {
  browse.mockImplementation(async (_e: string, _q: string, offset: number, limit: number) => ({
    columns: ['sourcedId'],
    total,
    rows: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => [`usr-${offset + i}`]),
  }))
}

describe('roster store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    browse.mockReset()
    browseIds.mockReset()
  })

  it('loads only the windows that cover the rows in view', async () => {
    serve(100000)
    const roster = useRoster()
    await roster.show('users', '')
    expect(browse).toHaveBeenCalledTimes(1)
    expect(browse).toHaveBeenLastCalledWith('users', '', 0, WINDOW, any)
    expect(roster.total).toBe(100000)

    await roster.ensure(150, 260) // window 0 is there; window 1 is new
    expect(browse).toHaveBeenCalledTimes(2)
    expect(browse).toHaveBeenLastCalledWith('users', '', WINDOW, WINDOW, any)

    await roster.ensure(50000, 50030)
    expect(browse).toHaveBeenLastCalledWith('users', '', 50000, WINDOW, any)
    expect(roster.rows.get(50010)).toEqual(['usr-50010'])
    expect(browse).toHaveBeenCalledTimes(3)
    expect(roster.rows.size).toBe(3 * WINDOW)
  })

  it('starts over when the search changes and never asks past the end', async () => {
    serve(30)
    const roster = useRoster()
    await roster.show('users', 'ana')
    await roster.ensure(0, 500)
    expect(browse).toHaveBeenCalledTimes(1)
    await roster.show('users', 'ben')
    expect(browse).toHaveBeenLastCalledWith('users', 'ben', 0, WINDOW, any)
    expect(roster.rows.size).toBe(30)
  })

  it('asks for the filtered rows again when a filter changes, with the search', async () => {
    serve(500)
    const roster = useRoster()
    await roster.show('users', 'ana')
    await roster.ensure(0, 300)
    await roster.setFilter('school', 'org-0001')
    expect(browse).toHaveBeenLastCalledWith('users', 'ana', 0, WINDOW, { ...any, school: 'org-0001' })
    expect(roster.rows.size).toBe(WINDOW) // the windows of the view before were dropped
    await roster.setFilter('grade', '09')
    await roster.setFilter('school', null) // cleared
    expect(browse).toHaveBeenLastCalledWith('users', 'ana', 0, WINDOW, { ...any, grade: '09' })
  })

  it('ticks rows, selects all filtered on top of them, clears, and forgets them on another tab', async () => {
    serve(500)
    browseIds.mockResolvedValue({ ids: ['usr-2', 'usr-3'], total: 2 })
    const roster = useRoster()
    await roster.show('users', '')
    roster.tick('usr-1', true)
    roster.tick('usr-9', true)
    roster.tick('usr-9', false)
    expect([...roster.ticked]).toEqual(['usr-1'])
    await roster.setFilter('status', 'active')
    expect(roster.ticked.size).toBe(1) // ticks stay across filters
    await roster.tickAll()
    expect(browseIds).toHaveBeenCalledWith('users', '', { ...any, status: 'active' })
    expect([...roster.ticked].sort()).toEqual(['usr-1', 'usr-2', 'usr-3'])
    expect(roster.capped).toBe(0)
    roster.clear()
    expect(roster.ticked.size).toBe(0)
    roster.tick('usr-1', true)
    await roster.show('orgs', '')
    expect(roster.ticked.size).toBe(0)
    expect(roster.filter).toEqual(any)
  })

  it('says when select all found more than it may tick', async () => {
    serve(500)
    browseIds.mockResolvedValue({ ids: ['usr-1', 'usr-2'], total: 250000 })
    const roster = useRoster()
    await roster.show('users', '')
    await roster.tickAll()
    expect(roster.ticked.size).toBe(2)
    expect(roster.capped).toBe(250000)
  })
})
