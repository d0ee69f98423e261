import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { DuplicatePair, PairPage } from '../api/types'
import { duplicatePair, mergeView } from '../testing/fixtures'

const api = vi.hoisted(() => ({
  duplicatePairs: vi.fn(), resolveDuplicate: vi.fn(), undoDuplicate: vi.fn(), mergeView: vi.fn(),
  duplicateDomains: vi.fn(), scanAfterImport: vi.fn(), setDuplicateDomains: vi.fn(), setScanAfterImport: vi.fn(),
}))
vi.mock('../api', () => ({ api }))
const { PAGE, decision, keptValue, useDomains, useDuplicates, useMerge } = await import('./duplicates')

const pair = duplicatePair
const view = mergeView
const page = (pairs: DuplicatePair[], total = pairs.length): PairPage => ({ total, pairs, domains: ['name and birth date'], schools: [], counts: { pending: total } })

describe('duplicates queue', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.duplicatePairs.mockReset().mockResolvedValue(page([pair(1), pair(2)], 2))
    api.resolveDuplicate.mockReset().mockResolvedValue({ run: 7, message: 'Not a duplicate.' })
    api.undoDuplicate.mockReset().mockResolvedValue({ run: 8, message: 'Undone.' })
  })

  it('asks for the pending pairs first, a page at a time', async () => {
    const q = useDuplicates()
    await q.load()
    expect(api.duplicatePairs).toHaveBeenLastCalledWith({ status: 'pending', domain: '', school: '', search: '', offset: 0, limit: PAGE })
    await q.show({ status: '', domain: 'email' })
    expect(api.duplicatePairs).toHaveBeenLastCalledWith({ status: '', domain: 'email', school: '', search: '', offset: 0, limit: PAGE })
    expect(q.pending).toBe(2)
  })

  it('next and previous move through the page and on to the next and previous pages', async () => {
    const first = Array.from({ length: PAGE }, (_, i) => pair(i + 1))
    api.duplicatePairs.mockImplementation(async (q: { offset: number }) => (q.offset === 0 ? page(first, PAGE + 1) : page([pair(99)], PAGE + 1)))
    const q = useDuplicates()
    await q.load()
    expect(q.selected?.pair).toBe(1)
    await q.next()
    expect(q.selected?.pair).toBe(2)
    q.index = PAGE - 1
    await q.next()
    expect([q.page, q.selected?.pair]).toEqual([2, 99])
    await q.next() // the last pair: stays
    expect(q.selected?.pair).toBe(99)
    await q.previous()
    expect([q.page, q.selected?.pair]).toEqual([1, PAGE])
    q.index = 0
    await q.previous() // the first pair: stays
    expect([q.page, q.selected?.pair]).toEqual([1, 1])
  })

  it('not a duplicate records outcome new and the next pair takes the place of the decided one', async () => {
    const q = useDuplicates()
    await q.load()
    await q.next()
    api.duplicatePairs.mockResolvedValue(page([pair(1), pair(3)], 2))
    await q.notDuplicate(q.selected!)
    expect(api.resolveDuplicate).toHaveBeenCalledWith(2, { primary: 'usr-2a', secondaries: null, outcome: 'new', values: {} })
    expect(q.selected?.pair).toBe(3)
  })

  it('counts the pairs waiting without loading a page, for the navigation', async () => {
    api.duplicatePairs.mockResolvedValue({ ...page([pair(1)], 40), counts: { pending: 40, merged: 3 } })
    const q = useDuplicates()
    await q.refreshCounts()
    expect(api.duplicatePairs).toHaveBeenCalledWith(expect.objectContaining({ status: 'pending', limit: 1 }))
    expect([q.pending, q.pairs.length]).toEqual([40, 0])
  })

  it('deciding the only pair of the last page shows the page before', async () => {
    api.duplicatePairs.mockImplementation(async (q: { offset: number }) => (q.offset === 0 ? page(Array.from({ length: PAGE }, (_, i) => pair(i + 1)), PAGE) : page([], PAGE)))
    const q = useDuplicates()
    await q.goTo(2)
    expect([q.page, q.selected?.pair]).toEqual([1, PAGE])
  })
})

describe('side-by-side merge', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.mergeView.mockReset().mockImplementation(async (_: number, records: string[] | null) => view(records ?? undefined))
    api.resolveDuplicate.mockReset().mockResolvedValue({ run: 12, message: 'Merged usr-1b into usr-1a.' })
  })

  it('keeps the primary\'s value, or the first one there is, unless another is chosen', async () => {
    const m = useMerge()
    await m.start(pair(1))
    expect(api.mergeView).toHaveBeenCalledWith(1, null)
    expect(m.preview.map((p) => p.value)).toEqual(['Theodore', 'Acosta', 'theo@lakeview.example', '(hidden)', ''])
    expect(m.current).toEqual({ primary: 'usr-1a', secondaries: ['usr-1b'], outcome: 'delete', values: {} })
  })

  it('a value clicked in the other record, or typed, is sent; clicking back to the default sends nothing', async () => {
    const m = useMerge()
    await m.start(pair(1))
    m.choose('givenName', 'usr-1b')
    expect(m.preview[0].value).toBe('Teddy')
    expect(m.current?.values).toEqual({ givenName: 'Teddy' })
    m.choose('givenName', 'usr-1a')
    expect(m.current?.values).toEqual({})
    m.type('familyName', 'Acosta-Ruiz')
    m.choose('email', 'usr-1a') // the primary's blank email
    expect(m.current?.values).toEqual({ familyName: 'Acosta-Ruiz', email: '' })
    m.reset('familyName')
    m.reset('email')
    expect(m.current?.values).toEqual({})
  })

  it('a password is never chosen nor typed', async () => {
    const m = useMerge()
    await m.start(pair(1))
    m.choose('password', 'usr-1b')
    m.type('password', 'secret')
    const f = m.view!.fields[3]
    expect(keptValue(m.view!, f, m.choices.password)).toBe('(hidden)')
    expect(m.current?.values).toEqual({})
  })

  it('choosing the other primary asks for the records in that order and keeps the choices made', async () => {
    const m = useMerge()
    await m.start(pair(1))
    m.choose('givenName', 'usr-1a')
    await m.setPrimary('usr-1b')
    expect(api.mergeView).toHaveBeenLastCalledWith(1, ['usr-1b', 'usr-1a'])
    // Now usr-1b is the primary: its name is the default, the chosen Theo is sent.
    expect(m.current).toEqual({ primary: 'usr-1b', secondaries: ['usr-1a'], outcome: 'delete', values: { givenName: 'Theodore' } })
    await m.save()
    expect(api.resolveDuplicate).toHaveBeenCalledWith(1, m.current)
    expect(m.result?.run).toBe(12)
  })

  it('adds a third record to the group and takes it out again; the pair\'s own two stay', async () => {
    const m = useMerge()
    await m.start(pair(1))
    await m.addRecord(' usr-77 ')
    expect(api.mergeView).toHaveBeenLastCalledWith(1, ['usr-1a', 'usr-1b', 'usr-77'])
    m.choose('givenName', 'usr-77')
    await m.removeRecord('usr-77')
    expect(api.mergeView).toHaveBeenLastCalledWith(1, ['usr-1a', 'usr-1b'])
    expect(m.choices).toEqual({}) // a value of the record taken out is no longer chosen
    api.mergeView.mockClear()
    await m.removeRecord('usr-1b')
    expect(api.mergeView).not.toHaveBeenCalled()
  })

  it('not a duplicate sends no values', () => {
    const v = view()
    expect(decision(v, { givenName: { record: 'usr-1b' } }, 'new')).toEqual({ primary: 'usr-1a', secondaries: ['usr-1b'], outcome: 'new', values: {} })
    expect(decision(v, { givenName: { record: 'usr-1b' } }, 'ignore').values).toEqual({ givenName: 'Teddy' })
  })
})

describe('domains of uniqueness', () => {
  const config = { domains: [
    { name: 'identifier', mode: 'unattended' as const, rules: [{ field: 'identifier', compare: 'normalized' }] },
    { name: 'name and birth date', mode: 'manual' as const, rules: [{ field: 'givenName', compare: 'fuzzy', threshold: 0.9 }] },
  ] }
  beforeEach(() => {
    setActivePinia(createPinia())
    api.duplicateDomains.mockReset().mockResolvedValue(config)
    api.scanAfterImport.mockReset().mockResolvedValue(true)
    api.setDuplicateDomains.mockReset().mockImplementation(async (json: string) => JSON.parse(json))
    api.setScanAfterImport.mockReset().mockResolvedValue(undefined)
  })

  it('a move or a mode change saves the whole list as JSON at once', async () => {
    const d = useDomains()
    await d.load()
    await d.move(1, 0)
    expect(JSON.parse(api.setDuplicateDomains.mock.lastCall![0]).domains.map((x: { name: string }) => x.name)).toEqual(['name and birth date', 'identifier'])
    await d.setMode(1, 'manual')
    expect(JSON.parse(api.setDuplicateDomains.mock.lastCall![0]).domains.map((x: { mode: string }) => x.mode)).toEqual(['manual', 'manual'])
    expect(d.config.domains[1]).toEqual({ ...config.domains[0], mode: 'manual' })
    expect(config.domains[0].mode).toBe('unattended') // the loaded config is not changed in place
  })

  it('a refused change keeps the domains shown', async () => {
    const d = useDomains()
    await d.load()
    api.setDuplicateDomains.mockRejectedValue(new Error('domains.json line 3, column 12: "mode" is unattended or manual'))
    await expect(d.save('{"domains": [{"name": "x", "mode": "sometimes"}]}')).rejects.toThrow(/unattended or manual/)
    expect(d.config).toEqual(config)
    expect(d.saving).toBe(false)
  })

  it('turns the scan after every import off', async () => {
    const d = useDomains()
    await d.load()
    await d.setAfterImport(false)
    expect(api.setScanAfterImport).toHaveBeenCalledWith(false)
    expect(d.afterImport).toBe(false)
  })
})
