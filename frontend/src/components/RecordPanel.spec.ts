import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { record } from '../testing/fixtures'
import '../testing/layout'

const api = vi.hoisted(() => ({ record: vi.fn() }))
vi.mock('../api', async () => ({ ...(await vi.importActual<object>('../api/types')), api }))
const { mountInApp } = await import('../testing/mountInApp')
const { useRecord } = await import('../stores/record')
const { useNav } = await import('../stores/nav')
const { default: RecordPanel } = await import('./RecordPanel.vue')

let w: VueWrapper | null = null
// all is the text of every element with that test id, table cells run together.
const all = (id: string) => [...document.body.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent?.replace(/\s/g, '') ?? '')

describe('the record panel', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    api.record.mockReset().mockResolvedValue(record)
    w = mountInApp(RecordPanel)
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('shows each value with the source it came from, the origins, the conflicts and the runs', async () => {
    await useRecord().show('users', 'S-77')
    await flushPromises()
    expect(api.record).toHaveBeenCalledWith('users', 'S-77')
    expect(document.body.textContent).toContain('Users usr-000001')
    expect(all('record-field')).toEqual(['sourcedIdusr-000001', 'givenNameTheoDistrictAPI', 'familyNameAcostaSpringfieldSIS', 'middleNamenosource', 'metadata.lunchfreeDistrictAPI'])
    expect(all('record-origin')).toEqual(['SpringfieldSISusr-000001sendsit', 'DistrictAPIusr-000001sendsit', 'OldexportS-77deletedit'])
    expect(all('record-conflict')[0]).toContain('familyName')
    expect(document.body.querySelector('[data-testid="record-conflict"] [data-kept="true"]')?.textContent).toContain('Acosta')
    expect(all('record-run')[0]).toContain('Ted→Theo')
    expect(all('record-run')[0]).not.toContain('ok')
  })

  it('says when the sources agree and nothing changed the record', async () => {
    api.record.mockResolvedValue({ ...record, conflicts: null, runs: null })
    await useRecord().show('users', 'usr-000001')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="record-no-conflicts"]')?.textContent).toContain('Its sources agree on every field.')
    expect(document.body.textContent).toContain('No run has changed it.')
  })

  it('builds a run\'s sentence from its reason and values', async () => {
    api.record.mockResolvedValue({ ...record, runs: [{ ...record.runs![0], message: '', reason: 'changed', before: 'Ted', after: 'Theo' }] })
    await useRecord().show('users', 'usr-000001')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="record-run"]')?.textContent).toContain('givenName: "Ted" → "Theo"')
  })

  it('marks a run that failed on the record', async () => {
    api.record.mockResolvedValue({ ...record, runs: [{ ...record.runs![0], action: 'update', status: 'failed', message: 'email: not an address' }] })
    await useRecord().show('users', 'usr-000001')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="record-run"] .n-tag')?.textContent).toBe('failed')
  })

  it('says when no source sends the record any more', async () => {
    api.record.mockResolvedValue({ ...record, status: 'tobedeleted', origins: [] })
    await useRecord().show('users', 'usr-000001')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="record-status"]')?.textContent).toBe('tobedeleted')
    expect(document.body.querySelector('[data-testid="record-no-origins"]')?.textContent).toContain('No source sends it any more')
  })

  it('says which merges of duplicates the record is part of, marks chosen values and opens the other record', async () => {
    const fields = record.fields.map((f) => (f.name === 'givenName' ? { ...f, from: '', chosen: true } : f))
    api.record.mockResolvedValue({ ...record, fields, merges: [{ pair: 4, primary: 'usr-000001', secondary: 'usr-d-00002', outcome: 'delete', run: 9 }] })
    await useRecord().show('users', 'usr-000001')
    await flushPromises()
    expect(all('record-field')).toContain('givenNameTheochoseninamerge')
    expect(all('record-merge')).toEqual(['Duplicateusr-d-00002wasmergedintothisrecord(pair4,run9).Openusr-d-00002'])
    api.record.mockResolvedValue({ ...record, id: 'usr-d-00002', status: 'tobedeleted', origins: [], merges: [{ pair: 4, primary: 'usr-000001', secondary: 'usr-d-00002', outcome: 'ignore', run: 9 }] })
    ;(document.body.querySelector('[data-testid="record-merge"] button') as HTMLButtonElement).click()
    await flushPromises()
    expect(api.record).toHaveBeenLastCalledWith('users', 'usr-d-00002')
    expect(all('record-merge')[0]).toContain('Keptasaredundantduplicateofusr-000001')
  })

  it('closes on Esc', async () => {
    await useRecord().show('users', 'usr-000001')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="record-panel"]')).not.toBeNull()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }))
    await flushPromises()
    expect(useRecord().open).toBe(false)
  })

  it('a record that cannot be read closes the panel and the error reaches the registrar', async () => {
    api.record.mockRejectedValue(new Error('No user has the ID "usr-9".'))
    await expect(useRecord().show('users', 'usr-9')).rejects.toThrow('usr-9')
    expect(useRecord().open).toBe(false)
  })

  it('opens a run that touched the record in History, closing the record', async () => {
    await useRecord().show('users', 'S-77')
    await flushPromises()
    const open = document.body.querySelector('[data-testid="record-open-run"]') as HTMLButtonElement
    expect(open.getAttribute('aria-label')).toBe(`Open run ${record.runs![0].run} in History`)
    open.click()
    await flushPromises()
    expect([useNav().view, useNav().historyRun, useRecord().open]).toEqual(['history', record.runs![0].run, false])
  })
})
