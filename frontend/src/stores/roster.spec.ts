import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const browse = vi.hoisted(() => vi.fn())
vi.mock('../api', () => ({ api: { browse, rosterCounts: vi.fn() } }))

const { useRoster, WINDOW } = await import('./roster')

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
  })

  it('loads only the windows that cover the rows in view', async () => {
    serve(100000)
    const roster = useRoster()
    await roster.show('users', '')
    expect(browse).toHaveBeenCalledTimes(1)
    expect(browse).toHaveBeenLastCalledWith('users', '', 0, WINDOW)
    expect(roster.total).toBe(100000)

    await roster.ensure(150, 260) // window 0 is there; window 1 is new
    expect(browse).toHaveBeenCalledTimes(2)
    expect(browse).toHaveBeenLastCalledWith('users', '', WINDOW, WINDOW)

    await roster.ensure(50000, 50030)
    expect(browse).toHaveBeenLastCalledWith('users', '', 50000, WINDOW)
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
    expect(browse).toHaveBeenLastCalledWith('users', 'ben', 0, WINDOW)
    expect(roster.rows.size).toBe(30)
  })
})
