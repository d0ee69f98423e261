import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { NAlert } from 'naive-ui'
import type { OSSchedule } from '../../api'

const api = vi.hoisted(() => ({ osSchedule: vi.fn(), installOSSchedule: vi.fn(), removeOSSchedule: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp } = await import('../../testing/mountInApp')
const { default: OsSchedule } = await import('./OsSchedule.vue')

const cannotTell = 'Rosterdesk cannot tell whether scheduled integrations run while it is closed: crontab -l failed: Permission denied. Run crontab -l to see your crontab.'
const off: OSSchedule = { registered: false, kind: 'crontab', where: 'your crontab', command: 'rosterdesk schedule run-due', text: '' }
let w: VueWrapper | null = null

describe('Settings → Run on schedule when Rosterdesk is closed', () => {
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('says it cannot tell as a warning with where to look, not as an error, and checks again', async () => {
    api.osSchedule.mockReset().mockResolvedValueOnce({ ...off, registered: false, unknown: cannotTell }).mockResolvedValueOnce(off)
    w = mountInApp(OsSchedule)
    await flushPromises()
    const unknown = w.find('[data-testid="os-schedule-unknown"]')
    expect(unknown.text()).toContain('Cannot tell whether it is on')
    expect(unknown.text()).toContain('Run crontab -l')
    expect(w.findAllComponents(NAlert).map((a) => a.props('type'))).toEqual(['warning'])
    expect(w.find('[data-testid="os-schedule-error"]').exists()).toBe(false)
    expect(w.find('[data-testid="os-schedule-on"]').exists()).toBe(false) // nothing to turn on blind

    await w.find('[data-testid="os-schedule-recheck"]').trigger('click')
    await flushPromises()
    expect(api.osSchedule).toHaveBeenCalledTimes(2)
    expect(w.find('[data-testid="os-schedule-unknown"]').exists()).toBe(false)
    expect(w.find('[data-testid="os-schedule-state"]').text()).toContain('Off')
  })
})
