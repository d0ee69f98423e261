import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { card, selection, view } from '../../testing/fixtures'
import '../../testing/layout'

const api = vi.hoisted(() => ({
  selectionView: vi.fn(), ownSelectionView: vi.fn(), previewSelection: vi.fn(), saveSelection: vi.fn(), resetSelection: vi.fn(), startPlanImport: vi.fn(),
  job: vi.fn(), cancel: vi.fn(), onJob: () => () => {},
}))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))

const { useNav } = await import('../../stores/nav')
const { useSelection } = await import('../../stores/selection')
const { mountInApp } = await import('../../testing/mountInApp')
const { default: SelectionWizard } = await import('./SelectionWizard.vue')

let w: VueWrapper | null = null

async function openWizard() {
  const nav = useNav()
  await nav.openWizard(card)
  w = mountInApp(SelectionWizard, { ...nav.wizard })
  await flushPromises()
  return nav
}

const step = () => w!.find('.n-step--process-status').text()
async function next(detail = 1) {
  await w!.find('[data-testid="wizard-next"]').trigger('click', { detail })
  await flushPromises()
}
const body = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null

describe('the selection wizard', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => typeof f === 'function' && 'mockReset' in f && f.mockReset())
    api.ownSelectionView.mockResolvedValue(view(selection({ orgsAll: true, classesAll: true })))
    api.previewSelection.mockImplementation(async (_id: number, s) => view(s))
    api.saveSelection.mockImplementation(async (_id: number, s) => view(s))
    api.startPlanImport.mockResolvedValue('job-1')
  })
  afterEach(() => {
    w?.unmount()
    w = null
    document.body.innerHTML = ''
  })

  it('a double click on Next moves one step: the classes', async () => {
    await openWizard()
    expect(step()).toContain('Schools')
    await next(1)
    expect(step()).toContain('Classes')
    await next(2) // the second click of the double click, once the first click's step is shown
    expect(step()).toContain('Classes')
  })

  it('Next, by click or Enter, while a step change is under way is ignored: the selection is saved once', async () => {
    await openWizard()
    useSelection().change({ classesAll: false, classes: [] })
    await next()
    await next()
    let saved = (_: unknown) => {}
    api.saveSelection.mockImplementation((_id: number, s) => new Promise((ok) => (saved = () => ok(view(s)))))
    await next() // Save and plan
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })) // Enter = Next, while the selection is being saved
    await flushPromises()
    saved(null)
    await flushPromises()
    expect(step()).toContain('Plan')
    expect(api.saveSelection).toHaveBeenCalledTimes(1)
  })

  it('closing with changes asks; Discard keeps the saved selection, Stay stays, Save saves', async () => {
    const nav = await openWizard()
    const sel = useSelection()
    sel.change({ classesAll: false, classes: [] }) // Select none on Classes

    let closed = nav.closeWizard()
    await vi.waitFor(() => expect(body('unsaved')).not.toBeNull())
    body('unsaved-stay')!.click()
    await closed
    expect(nav.view).toBe('wizard')
    expect(sel.draft).toMatchObject({ classesAll: false })

    closed = nav.closeWizard()
    await vi.waitFor(() => expect(body('unsaved-discard')).not.toBeNull())
    body('unsaved-discard')!.click()
    await closed
    expect(nav.view).toBe('dashboard')
    expect(sel.draft).toMatchObject({ classesAll: true })
    expect(api.saveSelection).not.toHaveBeenCalled()

    await nav.openWizard(card) // the wizard is still mounted in this test: its guard asks again
    sel.change({ classesAll: false, classes: [] })
    closed = nav.closeWizard()
    await vi.waitFor(() => expect(body('unsaved-save')).not.toBeNull())
    body('unsaved-save')!.click()
    await closed
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ classesAll: false, classes: [] }))
    expect(nav.view).toBe('dashboard')
  })

  it('Esc closes the wizard as Close does, but only closes a dialog of its own when one is open', async () => {
    await openWizard()
    const wizard = w!.findComponent(SelectionWizard)
    const dialog = document.createElement('div')
    dialog.className = 'n-dialog'
    document.body.appendChild(dialog)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(wizard.emitted('close')).toBeUndefined()
    dialog.remove()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(wizard.emitted('close')).toHaveLength(1)
  })

  it('moving between the picking steps saves nothing; Next to the plan says it saves, and does', async () => {
    await openWizard()
    useSelection().change({ classesAll: false, classes: [] })
    await next()
    await next()
    expect(step()).toContain('Users')
    expect(api.saveSelection).not.toHaveBeenCalled()
    expect(w!.find('[data-testid="wizard-unsaved"]').exists()).toBe(true)
    expect(w!.find('[data-testid="wizard-next"]').text()).toBe('Save and plan')
    await next()
    await flushPromises()
    expect(api.saveSelection).toHaveBeenCalledTimes(1)
    expect(step()).toContain('Plan')
    expect(api.startPlanImport).toHaveBeenCalled()
  })

  it('an untouched wizard closes without asking and saves nothing', async () => {
    const nav = await openWizard()
    await nav.closeWizard()
    expect(nav.view).toBe('dashboard')
    expect(body('unsaved')).toBeNull()
    expect(api.saveSelection).not.toHaveBeenCalled()
  })
})
