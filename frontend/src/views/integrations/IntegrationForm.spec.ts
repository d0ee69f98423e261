import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import { createPinia, setActivePinia } from 'pinia'
import en from '../../langs/en'
import type { ConnectionCard, Integration, IntegrationInput, ScheduleCheck } from '../../api/types'
import { card } from '../../testing/fixtures'

const api = vi.hoisted(() => ({ checkSchedule: vi.fn(), integrationSetup: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))
const { default: IntegrationForm } = await import('./IntegrationForm.vue')

const cards: ConnectionCard[] = [
  card, // a source
  { ...card, id: 2, name: 'Vendor drop', role: 'target' },
  { ...card, id: 3, name: 'Shared folder', role: 'both' },
]

// The backend's check: an hour past 23 is wrong; anything else is fine.
function check(text: string): ScheduleCheck {
  if (/ (2[4-9]|[3-9]\d):/.test(text)) return { text, describe: '', next: null, error: 'The hour must be 00 to 23, as in "daily 02:00".' }
  return { text, describe: `described: ${text}`, next: ['2026-03-09T07:00:00Z', '2026-03-10T07:00:00Z', '2026-03-11T07:00:00Z'], error: '' }
}

function mountForm(props: Record<string, unknown> = {}) {
  setActivePinia(createPinia())
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } })
  return mount(IntegrationForm, { props: { cards, all: [], ...props }, global: { plugins: [i18n] }, attachTo: document.body })
}
const checked = () => vi.waitFor(() => expect(document.body.textContent).not.toContain('Checking…'))

beforeEach(() => {
  api.checkSchedule.mockReset().mockImplementation(async (text: string) => check(text))
  api.integrationSetup.mockReset().mockResolvedValue({ holdDelete: 5, holdChange: 40, everything: false, mapped: [] })
})

// An integration of the fixture source, as the Integrations page lists it.
const integration = (patch: Partial<Integration> = {}): Integration => ({
  id: 4, name: 'Import from Springfield SIS', type: 'import', connectionId: card.id, connection: card.name, connectionKind: 'oneroster-csv', entities: [],
  schedule: 'manual', scheduleText: 'Only when started by hand', conflict: 'workspace', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '',
  nextRun: '', running: false, jobId: '', ...patch,
} as Integration)

describe('the integration form', () => {
  it('offers the connections that fit the type: sources to import, targets to export, source-and-target to sync', async () => {
    const w = mountForm()
    const offered = () => (w.findComponent({ name: 'Select' }).props('options') as { label: string }[]).map((o) => o.label)
    expect(offered()).toEqual(['Springfield SIS', 'Shared folder'])
    await w.find('[data-testid="integration-type-export"] input').setValue(true)
    expect(offered()).toEqual(['Vendor drop', 'Shared folder'])
    await w.find('[data-testid="integration-type-sync"] input').setValue(true)
    expect(offered()).toEqual(['Shared folder'])
    // Only a sync asks what to do with a field changed on both sides.
    expect(w.find('[data-testid="integration-conflict"]').exists()).toBe(true)
    w.unmount()
  })

  it('builds a daily schedule as text, shows what the backend says of it live, and submits every task as none', async () => {
    const w = mountForm()
    await w.find('[data-testid="integration-name"] input').setValue('Nightly import')
    await w.find('[data-testid="schedule-daily"] input').setValue(true)
    await w.find('[data-testid="schedule-time"] input').setValue('05:30')
    await checked()
    expect(api.checkSchedule).toHaveBeenLastCalledWith('daily 05:30')
    expect(w.find('[data-testid="schedule-describe"]').text()).toBe('described: daily 05:30')
    expect(w.find('[data-testid="schedule-next"]').text()).toMatch(/^Next runs: .+ · .+ · .+$/)
    await w.find('[data-testid="integration-submit"]').trigger('click')
    expect(w.emitted('submit')?.[0]).toEqual([
      { id: 0, name: 'Nightly import', type: 'import', connectionId: 1, entities: [], schedule: 'daily 05:30', conflict: '', holdDelete: null, holdChange: null } satisfies IntegrationInput,
    ])
    w.unmount()
  })

  it('shows a wrong time’s error beside the field and does not submit it', async () => {
    const w = mountForm()
    await w.find('[data-testid="integration-name"] input').setValue('Nightly import')
    await w.find('[data-testid="schedule-daily"] input').setValue(true)
    await w.find('[data-testid="schedule-time"] input').setValue('25:00')
    await checked()
    expect(w.find('[data-testid="schedule-error"]').text()).toContain('The hour must be 00 to 23')
    expect(w.find('[data-testid="integration-submit"]').attributes('disabled')).toBeDefined()
    w.unmount()
  })

  it('edits an integration: its schedule read back into the builder, the tasks it has ticked, sent in their order', async () => {
    const w = mountForm({
      integration: {
        id: 5, name: 'Weekly sync', type: 'sync', connectionId: 3, connection: 'Shared folder', connectionKind: 'oneroster-csv', entities: ['students', 'classes'],
        schedule: 'weekly mon,wed 06:30', scheduleText: '', conflict: 'ask', enabled: true, lastRunId: 0, lastResult: '', lastRunAt: '', nextRun: '', running: false,
      },
    })
    await checked()
    expect(api.checkSchedule).toHaveBeenLastCalledWith('weekly mon,wed 06:30')
    expect(w.find('[data-testid="schedule-time"] input').element).toHaveProperty('value', '06:30')
    await w.find('[data-testid="schedule-day-fri"]').trigger('click')
    await w.find('[data-testid="integration-task-teachers"]').trigger('click')
    await checked()
    await flushPromises()
    await w.find('[data-testid="integration-submit"]').trigger('click')
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({ id: 5, entities: ['classes', 'students', 'teachers'], schedule: 'weekly mon,wed,fri 06:30', conflict: 'ask' })
    w.unmount()
  })
})

describe('the backend’s refusal', () => {
  it('shows beside the field it names, or under the form', async () => {
    const w = mountForm()
    await checked()
    const vm = w.vm as unknown as { showServerError: (m: string, field?: string) => void }
    vm.showServerError('An integration is already named Nightly import: choose another name.', 'name')
    await flushPromises()
    expect(w.find('.n-form-item-feedback--error, .n-form-item-feedback').text()).toContain('already named Nightly import')
    vm.showServerError('The workspace could not be written.')
    await flushPromises()
    expect(w.find('[data-testid="integration-error"]').text()).toBe('The workspace could not be written.')
    w.unmount()
  })

  it('shows the safety hold of the connection’s own integration for a new one, and sends the thresholds only once changed, an empty one refused', async () => {
    const w = mountForm({ all: [integration()] })
    await checked()
    await flushPromises()
    expect(api.integrationSetup).toHaveBeenCalledWith(4)
    const input = (h: string) => w.find(`[data-testid="integration-${h}"] input`)
    expect([(input('holdDelete').element as HTMLInputElement).value, (input('holdChange').element as HTMLInputElement).value]).toEqual(['5', '40'])
    expect(w.find('[data-testid="integration-shared"]').text()).toContain('It starts with a copy of what Import from Springfield SIS lets through')
    await w.find('[data-testid="integration-name"] input').setValue('Nightly')
    await w.find('[data-testid="integration-submit"]').trigger('click')
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({ holdDelete: null, holdChange: null })
    await input('holdDelete').setValue('')
    await input('holdDelete').trigger('blur')
    await w.find('[data-testid="integration-submit"]').trigger('click')
    expect(w.emitted('submit')).toHaveLength(1)
    expect(w.text()).toContain('A percentage from 1 to 100.')
    await input('holdDelete').setValue('20')
    await input('holdDelete').trigger('blur')
    await w.find('[data-testid="integration-submit"]').trigger('click')
    expect(w.emitted('submit')?.[1]?.[0]).toMatchObject({ holdDelete: 20, holdChange: 40 })
    w.unmount()
  })
})
