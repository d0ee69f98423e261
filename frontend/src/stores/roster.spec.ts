import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const browse = vi.hoisted(() => vi.fn())
const browseIds = vi.hoisted(() => vi.fn())
const rosterCount = vi.hoisted(() => vi.fn())
vi.mock('../api', () => ({ api: { browse, browseIds, rosterCount, rosterCounts: vi.fn() } }))

const { useRoster, WINDOW, noFilter } = await import('./roster')
const any = noFilter()
// q is the query the store sends for a tab and search, with no column filter and in sourcedId order.
const q = (entity: string, search: string, filter = any, more = {}) => ({ entity, search, filter, match: {}, sort: '', desc: false, ...more })

// A roster of total users: Browse answers any window of it, telling the total only as the backend
// does (a first window shorter than asked); Count tells it.
function serve(total: number) {
  browse.mockImplementation(async (_q: unknown, offset: number, limit: number) => {
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => [`usr-${offset + i}`])
    return { columns: ['sourcedId'], total: offset === 0 && rows.length < limit ? rows.length : -1, rows }
  })
  rosterCount.mockResolvedValue(total)
}

describe('roster store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    browse.mockReset()
    browseIds.mockReset()
    rosterCount.mockReset()
  })

  it('loads only the windows that cover the rows in view', async () => {
    serve(100000)
    const roster = useRoster()
    await roster.show('users', '')
    expect(browse).toHaveBeenCalledTimes(1)
    expect(browse).toHaveBeenLastCalledWith(q('users', ''), 0, WINDOW)
    await vi.waitFor(() => expect(roster.total).toBe(100000))

    await roster.ensure(150, 260) // window 0 is there; window 1 is new
    expect(browse).toHaveBeenCalledTimes(2)
    expect(browse).toHaveBeenLastCalledWith(q('users', ''), WINDOW, WINDOW)

    await roster.ensure(50000, 50030)
    expect(browse).toHaveBeenLastCalledWith(q('users', ''), 50000, WINDOW)
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
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ben'), 0, WINDOW)
    expect(roster.rows.size).toBe(30)
  })

  it('asks for the filtered rows again when a filter changes, with the search', async () => {
    serve(500)
    const roster = useRoster()
    await roster.show('users', 'ana')
    await vi.waitFor(() => expect(roster.total).toBe(500))
    await roster.ensure(0, 300)
    await roster.setFilter('school', 'org-0001')
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana', { ...any, school: 'org-0001' }), 0, WINDOW)
    expect(roster.rows.size).toBe(WINDOW) // the windows of the view before were dropped
    await roster.setFilter('grade', '09')
    await roster.setFilter('school', null) // cleared
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana', { ...any, grade: '09' }), 0, WINDOW)
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
    expect(browseIds).toHaveBeenCalledWith(q('users', '', { ...any, status: 'active' }))
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

  it('shows the first window before counting, then the count', async () => {
    serve(100000)
    let counted: (n: number) => void = () => {}
    rosterCount.mockImplementation(() => new Promise((ok) => { counted = ok }))
    const roster = useRoster()
    await roster.show('users', 'a')
    expect([roster.counting, roster.total, roster.rows.size, roster.loading]).toEqual([true, WINDOW, WINDOW, false])
    expect(rosterCount).toHaveBeenCalledWith(q('users', 'a'))
    counted(100000)
    await vi.waitFor(() => expect(roster.counting).toBe(false))
    expect(roster.total).toBe(100000)
    serve(30) // a first window shorter than asked tells its total: nothing to count
    rosterCount.mockClear()
    await roster.show('users', 'abc')
    expect([roster.counting, roster.total, rosterCount.mock.calls.length]).toEqual([false, 30, 0])
  })

  it('asks only the latest of the searches typed while one is answered, and keeps the rows shown until it is', async () => {
    serve(500)
    const roster = useRoster()
    await roster.show('users', '')
    const answers: ((page: unknown) => void)[] = []
    browse.mockImplementation(() => new Promise((ok) => answers.push(ok)))
    const typed = ['a', 'an', 'ana'].map((s) => roster.show('users', s))
    expect(browse).toHaveBeenCalledTimes(2) // 'a' only, 'an' and 'ana' wait
    expect([roster.loading, roster.rows.size]).toEqual([true, WINDOW]) // the rows before stay
    answers[0]({ columns: ['sourcedId'], total: 1, rows: [['usr-a']] }) // 'a' answers late: dropped
    await vi.waitFor(() => expect(browse).toHaveBeenCalledTimes(3))
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana'), 0, WINDOW)
    expect(roster.rows.size).toBe(WINDOW)
    answers[1]({ columns: ['sourcedId'], total: 2, rows: [['usr-ana'], ['usr-anabel']] })
    await Promise.all(typed)
    expect([roster.loading, roster.total, roster.rows.get(0)]).toEqual([false, 2, ['usr-ana']])
  })

  it('sorts by a column up, down and back, and filters by columns, starting over each time', async () => {
    serve(500)
    const roster = useRoster()
    await roster.show('users', 'ana')
    await roster.sortBy('familyName')
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana', any, { sort: 'familyName' }), 0, WINDOW)
    await roster.sortBy('familyName')
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana', any, { sort: 'familyName', desc: true }), 0, WINDOW)
    await roster.setMatch('school', ' Lincoln ')
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana', any, { sort: 'familyName', desc: true, match: { school: 'Lincoln' } }), 0, WINDOW)
    await roster.sortBy('familyName')
    expect(browse).toHaveBeenLastCalledWith(q('users', 'ana', any, { match: { school: 'Lincoln' } }), 0, WINDOW)
    await roster.sortBy('role')
    await roster.show('orgs', '') // another tab: no column filter, sourcedId order
    expect(browse).toHaveBeenLastCalledWith(q('orgs', ''), 0, WINDOW)
  })

  it('exports the view as shown and remembers column widths per tab', async () => {
    serve(500)
    const saveView = vi.fn().mockResolvedValue('/Downloads/Rosterdesk users.xlsx')
    const { api } = await import('../api')
    Object.assign(api, { saveView })
    const roster = useRoster()
    await roster.show('users', 'ana')
    await roster.setMatch('role', 'student')
    expect(await roster.save('xlsx')).toBe('/Downloads/Rosterdesk users.xlsx')
    expect(saveView).toHaveBeenCalledWith(q('users', 'ana', any, { match: { role: 'student' } }), 'xlsx')
    roster.resize('email', 300)
    roster.resize('givenName', 10) // not narrower than 60
    expect([roster.width('email'), roster.width('givenName')]).toEqual([300, 60])
    await roster.show('orgs', '')
    expect(roster.width('email')).toBeUndefined()
  })
})
