import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import '../../testing/layout' // before naive-ui, so tables draw their rows
import type { FetchResult, Finding } from '../../api/types'
import { mountInApp } from '../../testing/mountInApp'
import FetchReport from './FetchReport.vue'

const finding = (n: number, severity: Finding['severity'] = 'warning'): Finding =>
  ({ file: n % 2 ? 'users.csv' : 'classes.csv', line: n, column: 'sourcedId', message: `problem ${n}`, severity })
const report = (warnings: Finding[], errors: Finding[] = []): FetchResult => ({
  connection: 'District', version: '1.2', source: '', fetchedAt: '2026-12-01T08:00:00Z', modes: { users: 'bulk' }, counts: { users: 120 }, failed: {}, warnings, errors,
})

let w: VueWrapper | null = null
const lines = () => w!.findAll('[data-testid="finding-row"]').map((r) => r.findAll('td')[2].text())

describe('the fetch report', () => {
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('shows the findings 50 at a time with page buttons, and a filter goes back to the first page', async () => {
    w = mountInApp(FetchReport, { report: report(Array.from({ length: 120 }, (_, i) => finding(i + 1))) })
    await flushPromises()
    expect(lines()).toHaveLength(50)
    expect(lines()[0]).toBe('1')
    await w.find('[data-testid="pager-next"]').trigger('click')
    await flushPromises()
    expect(lines()[0]).toBe('51')
    await w.find('input[placeholder="Search findings"]').setValue('problem 11')
    await flushPromises()
    expect(lines()).toEqual(['11', '110', '111', '112', '113', '114', '115', '116', '117', '118', '119'])
    expect(w.find('[data-testid="pager"]').exists()).toBe(false)
  })

  it('takes the focus when the focus was lost (the fetch\'s progress it replaced had it), and leaves it where it is otherwise', async () => {
    w = mountInApp(FetchReport, { report: report([finding(1)]) })
    await flushPromises()
    expect(document.activeElement).toBe(w.find('[data-testid="fetch-report"]').element)
    w.unmount()
    const button = document.body.appendChild(document.createElement('button'))
    button.focus()
    w = mountInApp(FetchReport, { report: report([finding(1)]) })
    await flushPromises()
    expect(document.activeElement).toBe(button)
  })
})
