import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { NSelect } from 'naive-ui'
import { example, importView, mappingView, previewOf, pushTarget, sisSource } from '../../testing/mapping'
import '../../testing/layout'
import type { Mapping } from '../../api/types'

const api = vi.hoisted(() => ({
  mappingTargets: vi.fn(), mapping: vi.fn(), checkMapping: vi.fn(), saveMapping: vi.fn(), resetMapping: vi.fn(), mappingExamples: vi.fn(),
  previewMapping: vi.fn(), saveCodes: vi.fn(), loadCodes: vi.fn(), sendTestRecord: vi.fn(), chooseFile: vi.fn(), showFile: vi.fn(),
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))

const { EDIT_MS } = await import('../../stores/mapping')
const { useNav } = await import('../../stores/nav')
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: MappingView } = await import('./MappingView.vue')

let w: VueWrapper | null = null
const find = (id: string) => w!.find(`[data-testid="${id}"]`)
const body = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null
const row = (to: string) => w!.findAll('[data-testid="mapping-row"]').find((r) => (r.find('[data-testid="field-to"] input').element as HTMLInputElement).value === to)!
const typed = () => new Promise((r) => setTimeout(r, EDIT_MS + 20))

// choose picks an option of a Naive UI select the way a click on it does.
function choose(r: DOMWrapper<Element>, testid: string, value: string) {
  const select = w!.findAllComponents(NSelect).find((s) => r.element.contains(s.element) && s.attributes('data-testid') === testid)!
  select.vm.$emit('update:value', value)
}

async function mountView() {
  w = mountInApp(MappingView)
  await flushPromises()
  await vi.waitFor(() => expect(api.previewMapping).toHaveBeenCalled())
  await flushPromises()
}

describe('the Mapping screen', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => f.mockReset())
    api.mappingTargets.mockResolvedValue([pushTarget])
    api.mapping.mockResolvedValue(mappingView())
    api.checkMapping.mockResolvedValue([])
    api.mappingExamples.mockResolvedValue([example])
    api.previewMapping.mockImplementation(async (_id: number, m: Mapping) => previewOf(m))
  })
  afterEach(() => {
    w?.unmount()
    w = null
    document.body.innerHTML = ''
  })

  it('shows each field\'s Mapped value on the first example, and again after an edit', async () => {
    await mountView()
    expect(api.previewMapping).toHaveBeenCalledWith(5, expect.anything(), 'usr-000042')
    expect(row('last_name').find('[data-testid="field-value"]').text()).toBe('Ñúñez')
    expect(row('gender').find('[data-testid="field-value"]').text()).toBe('F')
    expect(row('email').find('[data-testid="field-value"]').text()).toBe('not sent')

    choose(row('last_name'), 'field-type', 'transformation')
    await flushPromises()
    await row('last_name').find('[data-testid="field-expr"] textarea').setValue('upper(familyName)')
    await typed()
    await flushPromises()
    expect(row('last_name').find('[data-testid="field-value"]').text()).toBe('ÑÚÑEZ')
    expect(find('mapping-unsaved').exists()).toBe(true)
    expect(find('mapping-send-test').attributes('disabled')).toBeDefined() // edits not saved
  })

  it('a problem the check finds shows under its field with line and column', async () => {
    await mountView()
    api.checkMapping.mockResolvedValue([{ field: 1, to: 'last_name', line: 1, column: 7, message: 'unknown name familyNme' }])
    choose(row('last_name'), 'field-type', 'transformation')
    await flushPromises()
    await row('last_name').find('[data-testid="field-expr"] textarea').setValue('upper(familyNme)')
    await typed()
    await flushPromises()
    expect(row('last_name').find('[data-testid="field-problem"]').text()).toBe('Line 1, column 7: unknown name familyNme')
    expect(row('last_name').find('[data-testid="field-value-error"]').text()).toBe('unknown name')
  })

  it('a condition leaving the example out says it is not sent; a problem of the condition shows under it', async () => {
    await mountView()
    api.checkMapping.mockResolvedValue([{ field: -1, to: '', line: 1, column: 6, message: 'the condition (send only records where …): unknown name rol' }])
    api.previewMapping.mockImplementation(async (_id: number, m: Mapping) => ({
      ...previewOf(m), action: 'excluded', error: `This record does not meet the mapping's condition (${m.only}): it is not sent.`,
    }))
    await find('mapping-only').find('textarea').setValue('rol == "teacher"')
    await typed()
    await flushPromises()
    expect(api.previewMapping.mock.calls.at(-1)![1]).toMatchObject({ only: 'rol == "teacher"' })
    expect(find('mapping-problem').text()).toBe('Line 1, column 6: the condition (send only records where …): unknown name rol')
    expect(find('mapping-record-excluded').text()).toContain('does not meet the mapping\'s condition (rol == "teacher")')
  })

  it('Save refused lists the problems and keeps the edits', async () => {
    await mountView()
    await row('last_name').find('[data-testid="field-to"] input').setValue('')
    api.checkMapping.mockResolvedValue([{ field: 1, to: '', line: 0, column: 0, message: 'a target field needs a name' }])
    api.saveMapping.mockRejectedValue({ code: 'invalid', message: 'The mapping is not saved: it has 1 problem.' })
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true }))
    await flushPromises()
    expect(api.saveMapping).toHaveBeenCalledTimes(1)
    const refused = find('mapping-refused').text()
    expect(refused).toContain('The mapping is not saved: it has 1 problem.')
    expect(refused).toContain('#2: a target field needs a name')
    expect(find('mapping-unsaved').exists()).toBe(true)
  })

  it('an uploaded code table replaces the field\'s once the registrar has seen how many codes it holds', async () => {
    await mountView()
    api.chooseFile.mockResolvedValue('/home/registrar/Downloads/gender codes.xlsx')
    api.loadCodes.mockResolvedValue({ Female: 'F', Male: 'M', 'Non-binary': 'X' })
    await find('code-upload').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(document.body.textContent).toContain('gender codes.xlsx holds 3 codes. They replace the 2 codes of the table.'))
    expect(w!.findAll('[data-testid="code-row"]')).toHaveLength(2) // nothing replaced before the answer
    clickInDialog('Replace')
    await flushPromises()
    const rows = w!.findAll('[data-testid="code-row"]').map((r) => r.findAll('input').map((i) => (i.element as HTMLInputElement).value))
    expect(rows).toEqual([['Female', 'F'], ['Male', 'M'], ['Non-binary', 'X']])
    await typed()
    const sent = api.previewMapping.mock.calls.at(-1)![1] as Mapping
    expect(sent.fields[2].codes).toEqual({ Female: 'F', Male: 'M', 'Non-binary': 'X' })
  })

  it('Send test record shows the exact request, sends only after OK, continue, and shows the API\'s answer', async () => {
    await mountView()
    api.sendTestRecord.mockResolvedValue({
      run: 31, method: 'POST', url: 'http://127.0.0.1:8080/api/students', payload: '{}', status: 201, body: '{"id": 1}', error: '',
    })
    await find('mapping-send-test').trigger('click')
    await vi.waitFor(() => expect(body('test-payload')).not.toBeNull())
    expect(body('test-request')!.textContent).toContain('POST')
    expect(body('test-request')!.textContent).toContain('http://127.0.0.1:8080/api/students')
    expect(JSON.parse(body('test-payload')!.textContent!)).toEqual({ student_number: 'S-42', last_name: 'Ñúñez', gender: 'F' })
    expect(api.sendTestRecord).not.toHaveBeenCalled()
    clickInDialog('OK, continue')
    await flushPromises()
    expect(api.sendTestRecord).toHaveBeenCalledWith(5, 'users', 'usr-000042')
    expect(body('test-status')!.textContent).toBe('201')
    expect(body('test-body')!.textContent).toBe('{"id": 1}')
    expect(body('test-known')!.textContent).toContain('Zoë Ñúñez is now known to Acme SIS API')
    expect(api.previewMapping).toHaveBeenLastCalledWith(5, expect.anything(), 'usr-000042') // the preview now says what the next export does with it
    expect(api.previewMapping.mock.invocationCallOrder.at(-1)).toBeGreaterThan(api.sendTestRecord.mock.invocationCallOrder[0])
  })

  it('a test record the API refuses shows its answer and does not say the record is known', async () => {
    await mountView()
    api.sendTestRecord.mockResolvedValue({ run: 32, method: 'POST', url: 'u', payload: '{}', status: 422, body: '{"error":"last_name is required"}', error: 'The API refused the record: last_name is required' })
    await find('mapping-send-test').trigger('click')
    await vi.waitFor(() => expect(body('test-payload')).not.toBeNull())
    clickInDialog('OK, continue')
    await flushPromises()
    expect(body('test-status')!.textContent).toBe('422')
    expect(body('test-error')!.textContent).toContain('last_name is required')
    expect(body('test-known')).toBeNull()
  })

  it('a target without endpoints says what to fill in instead of loading for ever', async () => {
    api.mappingTargets.mockResolvedValue([{ ...pushTarget, entities: [] }])
    w = mountInApp(MappingView)
    await flushPromises()
    expect(find('mapping-no-endpoints').text()).toBe('Acme SIS API has no endpoints yet: edit the connection on the Dashboard and say under Endpoints where each kind of record goes, e.g. {"users": "/api/students"}.')
    expect(api.mapping).not.toHaveBeenCalled()
  })

  it('a target whose key is not stored on this computer says so, in the backend\'s words', async () => {
    const problem = "The API key is not stored on this computer; enter it again in the connection's settings."
    api.mappingTargets.mockResolvedValue([{ ...pushTarget, entities: [], problem }])
    w = mountInApp(MappingView)
    await flushPromises()
    expect(find('mapping-target-problem').text()).toBe(problem)
    expect(w.find('[data-testid="mapping-no-endpoints"]').exists()).toBe(false)
  })

  it('leaving with edits not saved asks; Stay stays, Discard puts the saved mapping back', async () => {
    await mountView()
    const nav = useNav()
    await nav.go('mapping')
    await row('last_name').find('[data-testid="field-to"] input').setValue('surname')
    let left = nav.go('dashboard')
    await vi.waitFor(() => expect(body('mapping-stay')).not.toBeNull())
    body('mapping-stay')!.click()
    await left
    expect(nav.view).toBe('mapping')
    left = nav.go('dashboard')
    await vi.waitFor(() => expect(body('mapping-discard')).not.toBeNull())
    body('mapping-discard')!.click()
    await left
    expect(nav.view).toBe('dashboard')
    expect(api.saveMapping).not.toHaveBeenCalled()
    expect(row('last_name')).toBeDefined()
  })

  it('a target\'s mapping reads as an export: key column, condition, Send test record and the request line', async () => {
    await mountView()
    expect(find('mapping-lead').text()).toBe('What an export sends to Acme SIS API: each field of its API, filled from the roster.')
    expect(find('col-to').text()).toBe('Target field')
    expect(find('col-key').exists()).toBe(true)
    expect(find('mapping-only').exists()).toBe(true)
    expect(find('mapping-send-test').exists()).toBe(true)
    expect(find('mapping-payload-toggle').text()).toContain('What is sent for this record: POST http://127.0.0.1:8080/api/students')
  })

  describe('on a source (an import mapping)', () => {
    beforeEach(() => {
      api.mappingTargets.mockResolvedValue([pushTarget, sisSource])
      api.mapping.mockResolvedValue(importView())
      useNav().mappingTarget = { integrationId: sisSource.id, connectionId: 0 }
    })

    it('says what the import puts in the roster, and the picker lists the integrations by name', async () => {
      await mountView()
      expect(api.mapping).toHaveBeenCalledWith(2, 'users')
      expect(find('mapping-lead').text()).toBe('What an import from Springfield SIS puts in the roster: each roster field, filled from the fields of Springfield SIS. A field not listed is taken as it comes.')
      const picker = w!.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === 'mapping-target')!
      expect(picker.props('options')).toEqual([{ value: 5, label: 'Export to Acme SIS API' }, { value: 2, label: 'Import from Springfield SIS' }])
      expect(w!.findAll('[data-testid^="mapping-entity-"]').map((e) => e.attributes('data-testid'))).toHaveLength(8)
    })

    it('has no key column, no condition and no Send test record; the roster field is chosen among the writable ones', async () => {
      await mountView()
      expect(find('col-to').text()).toBe('Roster field')
      expect(find('col-source').text()).toBe('From the source')
      expect(find('col-overwrite').attributes('title')).toBe('Off: a blank value from the source never erases what the roster has.')
      expect(find('col-key').exists()).toBe(false)
      expect(w!.find('[data-testid="field-key"]').exists()).toBe(false)
      expect(find('mapping-only').exists()).toBe(false)
      expect(find('mapping-send-test').exists()).toBe(false)
      const to = w!.findAllComponents(NSelect).filter((s) => s.attributes('data-testid') === 'field-to-roster')
      expect(to).toHaveLength(7)
      expect(to[3].props('value')).toBe('familyName')
      expect(to[3].props('options').map((o) => o.value)).toEqual(importView().writable)
      expect(to[3].props('tag')).toBe(true) // metadata.x may be typed
      const grades = w!.findAll('[data-testid="mapping-row"]').find((r) => r.attributes('data-to') === 'grades')!
      choose(grades, 'field-type', 'none')
      await flushPromises()
      expect(grades.find('[data-testid="field-value"]').text()).toBe('not taken: blank in the roster')
    })

    it('shows what the roster gets for the example; an edit is sent back as an import mapping and saved as one', async () => {
      await mountView()
      expect(find('mapping-payload-toggle').text()).toContain('What the roster gets for this record')
      expect(find('mapping-payload-toggle').text()).not.toContain('What is sent')
      await find('mapping-payload-toggle').find('.n-collapse-item__header-main').trigger('click')
      expect(JSON.parse(find('mapping-payload').text())).toMatchObject({ familyName: 'Ñúñez', username: 'zoe.nunez' })

      const rows = w!.findAll('[data-testid="mapping-row"]')
      const family = rows.find((r) => r.attributes('data-to') === 'familyName')!
      choose(family, 'field-type', 'transformation')
      await flushPromises()
      await family.find('[data-testid="field-expr"] textarea').setValue('upper(familyName)')
      const nick = rows.find((r) => r.attributes('data-to') === 'username')!
      choose(nick, 'field-to-roster', 'metadata.nickname')
      await typed()
      await flushPromises()
      const sent = api.previewMapping.mock.calls.at(-1)![1] as Mapping
      expect(sent.import).toBe(true)
      expect(sent.only).toBeUndefined()
      expect(sent.fields.map((f) => f.to)).toContain('metadata.nickname')
      expect(JSON.parse(find('mapping-payload').text())).toMatchObject({ familyName: 'ÑÚÑEZ', 'metadata.nickname': 'zoe.nunez' })

      api.saveMapping.mockResolvedValue(undefined)
      await find('mapping-save').trigger('click')
      await flushPromises()
      expect(api.saveMapping).toHaveBeenCalledWith(2, expect.objectContaining({ entity: 'users', import: true }))
      expect(find('mapping-unsaved').exists()).toBe(false)
    })

    it('Overwrite off on a roster field is kept in the mapping sent back', async () => {
      await mountView()
      const email = w!.findAll('[data-testid="mapping-row"]').find((r) => r.attributes('data-to') === 'email')!
      expect(email.find('[data-testid="field-overwrite"]').attributes('title')).toBe('Off: a blank value from the source never erases what the roster has.')
      await email.find('[data-testid="field-overwrite"]').trigger('click')
      await typed()
      await flushPromises()
      const sent = api.previewMapping.mock.calls.at(-1)![1] as Mapping
      expect(sent.fields.find((f) => f.to === 'email')).toEqual({ to: 'email', type: 'direct', from: 'email', overwrite: false })
    })
  })
})
