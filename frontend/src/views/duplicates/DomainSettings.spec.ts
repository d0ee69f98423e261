import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

const api = vi.hoisted(() => ({
  duplicateDomains: vi.fn(), defaultDuplicateDomains: vi.fn(), setDuplicateDomains: vi.fn(), scanAfterImport: vi.fn(), setScanAfterImport: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: DomainSettings } = await import('./DomainSettings.vue')

const config = () => ({ domains: [
  { name: 'Master ID', mode: 'unattended', rules: [{ field: 'userMasterIdentifier', compare: 'exact' }] },
  { name: 'Name and birth date', mode: 'manual', rules: [{ field: 'name', compare: 'fuzzy', threshold: 0.88 }, { field: 'birthDate', compare: 'date' }], minScore: 0.5 },
] })
let w: VueWrapper | null = null
const sent = () => JSON.parse(api.setDuplicateDomains.mock.lastCall![0])

describe('Settings → Duplicates', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.duplicateDomains.mockReset().mockResolvedValue(config())
    api.defaultDuplicateDomains.mockReset().mockResolvedValue({ domains: [config().domains[1]] })
    api.setDuplicateDomains.mockReset().mockImplementation(async (json: string) => JSON.parse(json))
    api.scanAfterImport.mockReset().mockResolvedValue(true)
    api.setScanAfterImport.mockReset().mockResolvedValue(undefined)
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('lists the domains in priority order with what they compare; a move saves the new order', async () => {
    w = mountInApp(DomainSettings)
    await flushPromises()
    const rows = w.findAll('[data-testid="domain-row"]')
    expect(rows.map((r) => r.find('[data-testid="domain-name"]').text())).toEqual(['Master ID', 'Name and birth date'])
    expect(rows[1].text()).toContain('name (fuzzy), birthDate (date)')
    await rows[0].find('[data-testid="domain-down"]').trigger('click')
    await flushPromises()
    expect(sent().domains.map((d: { name: string }) => d.name)).toEqual(['Name and birth date', 'Master ID'])
    expect(sent().domains[0].minScore).toBe(0.5) // what the list does not show is kept
    expect(w.findAll('[data-testid="domain-name"]').map((n) => n.text())).toEqual(['Name and birth date', 'Master ID'])
  })

  it('a domain made manual is saved at once', async () => {
    w = mountInApp(DomainSettings)
    await flushPromises()
    const manual = w.findAll('[data-testid="domain-mode"]')[0].findAll('input').find((i) => (i.element as HTMLInputElement).value === 'manual')!
    await manual.trigger('change')
    await flushPromises()
    expect(sent().domains.map((d: { mode: string }) => d.mode)).toEqual(['manual', 'manual'])
  })

  it('JSON with a mistake shows the backend\'s message and keeps the text to fix', async () => {
    w = mountInApp(DomainSettings)
    await flushPromises()
    await w.find('[data-testid="domains-edit"]').trigger('click')
    const area = () => w!.find('[data-testid="domains-json"] textarea')
    expect(JSON.parse((area().element as HTMLTextAreaElement).value)).toEqual(config())
    api.setDuplicateDomains.mockRejectedValueOnce({ code: 'invalid', message: 'domain 1 "ID": mode "sometimes" is not known; use "unattended" (merge automatically) or "manual" (review queue)' })
    const typed = '{"domains": [{"name": "ID", "mode": "sometimes", "rules": [{"field": "identifier", "compare": "exact"}]}]}'
    await area().setValue(typed)
    await w.find('[data-testid="domains-save"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="domains-problem"]').text()).toContain('mode "sometimes" is not known')
    expect((area().element as HTMLTextAreaElement).value).toBe(typed)
    expect(w.findAll('[data-testid="domain-name"]').map((n) => n.text())).toEqual(['Master ID', 'Name and birth date'])
  })

  it('Restore the defaults puts them in the text to save; the scan after imports switches off', async () => {
    w = mountInApp(DomainSettings)
    await flushPromises()
    await w.find('[data-testid="domains-defaults"]').trigger('click')
    await flushPromises()
    expect(api.setDuplicateDomains).not.toHaveBeenCalled()
    expect(JSON.parse((w.find('[data-testid="domains-json"] textarea').element as HTMLTextAreaElement).value).domains[0].name).toBe('Name and birth date')
    await w.find('[data-testid="domains-save"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-testid="domain-name"]').map((n) => n.text())).toEqual(['Name and birth date'])
    expect(w.find('[data-testid="domains-json"]').exists()).toBe(false)
    await w.find('[data-testid="domains-after-import"]').trigger('click')
    await flushPromises()
    expect(api.setScanAfterImport).toHaveBeenCalledWith(false)
    expect(document.body.textContent).toContain('Imports no longer scan for duplicates')
  })
})
