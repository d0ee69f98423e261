import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { duplicatePair, mergeView } from '../../testing/fixtures'
import type { DuplicatePair } from '../../api/types'
import '../../testing/layout'

const api = vi.hoisted(() => ({
  duplicatePairs: vi.fn(), resolveDuplicate: vi.fn(), undoDuplicate: vi.fn(), mergeView: vi.fn(), run: vi.fn(), record: vi.fn(),
  startDuplicateScan: vi.fn(), onJob: vi.fn(), job: vi.fn(), cancel: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: DuplicatesView } = await import('./DuplicatesView.vue')

let w: VueWrapper | null = null
const page = (pairs: DuplicatePair[]) => ({ total: pairs.length, pairs, domains: ['name and birth date'], schools: [{ id: 'org-1', name: 'Lakeview Middle School' }], counts: { pending: pairs.length } })
const key = (k: string, target: EventTarget = window) => {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }))
  return flushPromises()
}
const selected = () => w!.find('[data-testid="pair-card"]').attributes('data-pair')

describe('Duplicates view', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.duplicatePairs.mockReset().mockResolvedValue(page([duplicatePair(1), duplicatePair(2), duplicatePair(3)]))
    api.resolveDuplicate.mockReset().mockResolvedValue({ run: 7, status: 'succeeded', counts: {}, message: 'Merged usr-1b into usr-1a.' })
    api.undoDuplicate.mockReset().mockResolvedValue({ run: 8, message: 'Put back usr-1b.' })
    api.mergeView.mockReset().mockImplementation(async (_: number, records: string[] | null) => mergeView(records ?? undefined))
    api.run.mockReset().mockResolvedValue({ run: { run: 5, operator: 'registrar', startedAt: '2025-01-02T08:00:00Z' }, records: [], more: 0 })
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('shows the selected pair\'s evidence with the differing part highlighted and the note', async () => {
    w = mountInApp(DuplicatesView)
    await flushPromises()
    expect(w.findAll('[data-testid="pair-row"]')).toHaveLength(3)
    const given = w.find('[data-testid="evidence-row"][data-field="givenName"]')
    expect(given.findAll('mark').map((m) => m.text())).toEqual(['heodore', 'eddy'])
    expect(given.find('[data-testid="evidence-note"]').text()).toBe('nickname')
    expect(w.find('[data-testid="evidence-row"][data-field="familyName"]').find('mark').exists()).toBe(false)
    expect(w.find('[data-testid="duplicates-keys"]').text()).toContain('J or ↓ next pair')
  })

  it('a row takes the focus and Enter selects its pair; with the focus on a row, ↓ moves it with the selection', async () => {
    w = mountInApp(DuplicatesView)
    await flushPromises()
    const rows = () => w!.findAll('[data-testid="pair-row"]')
    expect(rows()[2].attributes('tabindex')).toBe('0')
    await key('Enter', rows()[2].element)
    expect(selected()).toBe('3')
    ;(rows()[0].element as HTMLElement).focus()
    await key('Enter', rows()[0].element)
    await key('ArrowDown', rows()[0].element)
    expect(selected()).toBe('2')
    expect(document.activeElement).toBe(rows()[1].element)
  })

  it('J and ↓ go to the next pair, K and ↑ back; N marks it not a duplicate', async () => {
    w = mountInApp(DuplicatesView)
    await flushPromises()
    expect(selected()).toBe('1')
    await key('j')
    await key('ArrowDown')
    expect(selected()).toBe('3')
    await key('k')
    expect(selected()).toBe('2')
    await key('ArrowUp')
    expect(selected()).toBe('1')
    await key('n')
    expect(api.resolveDuplicate).toHaveBeenCalledWith(1, { primary: 'usr-1a', secondaries: null, outcome: 'new', values: {} })
  })

  it('typing in the search box does not act on the queue', async () => {
    w = mountInApp(DuplicatesView)
    await flushPromises()
    const input = w.find('[data-testid="duplicates-search"] input').element
    for (const k of ['j', 'n', 'm', 'u']) await key(k, input)
    expect(selected()).toBe('1')
    expect(api.resolveDuplicate).not.toHaveBeenCalled()
    expect(api.mergeView).not.toHaveBeenCalled()
  })

  it('M opens the merge side by side; keys wait while it is open; a value of the other record wins when clicked', async () => {
    w = mountInApp(DuplicatesView)
    await flushPromises()
    await key('m')
    expect(api.mergeView).toHaveBeenCalledWith(1, null)
    await key('j') // the dialog is open: the queue does not move
    expect(selected()).toBe('1')
    const row = () => document.body.querySelector('[data-testid="merge-field"][data-field="givenName"]')!
    expect(row().classList.contains('differ')).toBe(true)
    expect(document.body.querySelector('[data-testid="merge-field"][data-field="middleName"]')).toBeNull() // blank in both
    const values = () => [...row().querySelectorAll<HTMLButtonElement>('[data-testid="merge-value"]')]
    expect(values().map((b) => b.classList.contains('kept'))).toEqual([true, false])
    values()[1].click()
    await flushPromises()
    expect(values().map((b) => b.classList.contains('kept'))).toEqual([false, true])
    expect(row().querySelector<HTMLInputElement>('[data-testid="merge-preview"] input')!.value).toBe('Teddy')
    expect(document.body.querySelector('[data-testid="merge-moves"]')!.textContent).toContain('student in Mathematics 6 – Section 3')
    ;(document.body.querySelector('[data-testid="merge-save"]') as HTMLElement).click()
    await flushPromises()
    expect(api.resolveDuplicate).toHaveBeenCalledWith(1, { primary: 'usr-1a', secondaries: ['usr-1b'], outcome: 'delete', values: { givenName: 'Teddy' } })
    expect(document.body.querySelector('[data-testid="job-result"]')!.textContent).toContain('Run 7')
  })

  it('choosing the other record as primary recomputes the view in that order', async () => {
    w = mountInApp(DuplicatesView)
    await flushPromises()
    await key('m')
    ;(document.body.querySelector('[data-testid="merge-primary-1"] input') as HTMLElement).click()
    await flushPromises()
    expect(api.mergeView).toHaveBeenLastCalledWith(1, ['usr-1b', 'usr-1a'])
    expect([...document.body.querySelectorAll('[data-testid="merge-record"]')].map((e) => e.getAttribute('data-id'))).toEqual(['usr-1b', 'usr-1a'])
  })

  it('U on a decided pair says who decided and undoes it after asking', async () => {
    api.duplicatePairs.mockResolvedValue(page([duplicatePair(1, { status: 'merged', decidedRun: 5, primary: 'usr-1a' })]))
    w = mountInApp(DuplicatesView)
    await flushPromises()
    expect(w.find('[data-testid="pair-decided"]').text()).toMatch(/^Merged in run 5 by registrar, .* Kept record: usr-1a$/)
    await key('n') // decided: nothing to mark
    expect(api.resolveDuplicate).not.toHaveBeenCalled()
    await key('u')
    expect(document.body.textContent).toContain('Undo this decision?')
    clickInDialog('Undo this merge')
    await flushPromises()
    expect(api.undoDuplicate).toHaveBeenCalledWith(1)
  })
})
