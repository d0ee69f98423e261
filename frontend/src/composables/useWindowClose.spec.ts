import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { card, selection, view } from '../testing/fixtures'
import '../testing/layout'

// A fake backend: the test plays the window's close (the event beforeClose sends) and sees Quit.
const api = vi.hoisted(() => ({
  ownSelectionView: vi.fn(), previewSelection: vi.fn(), saveSelection: vi.fn(), resetSelection: vi.fn(),
  setUnsaved: vi.fn(), closeHeard: vi.fn(), quit: vi.fn(), closeAsked: null as (() => void) | null,
  onCloseAsked: (ask: () => void) => {
    api.closeAsked = ask
    return () => (api.closeAsked = null)
  },
}))
vi.mock('../api', async () => ({ ...(await vi.importActual<object>('../api/types')), api }))

const { useNav } = await import('../stores/nav')
const { useSelection } = await import('../stores/selection')
const { useWindowClose } = await import('./useWindowClose')
const { mountInApp } = await import('../testing/mountInApp')
const { default: SelectionWizard } = await import('../views/selection/SelectionWizard.vue')

// The window as the app shell makes it: the view shown, and the window's close wired to it.
const Shell = defineComponent(() => {
  useWindowClose()
  const nav = useNav()
  return () => (nav.view === 'wizard' && nav.wizard ? h(SelectionWizard, { ...nav.wizard }) : h('p', 'dashboard'))
})

let w: VueWrapper | null = null
const body = (id: string) => document.body.querySelector(`[data-testid="${id}"]`) as HTMLElement | null

async function openWizard() {
  const nav = useNav()
  w = mountInApp(Shell)
  await nav.openWizard(card)
  await flushPromises()
  return nav
}

// closeWindow is the window's close button: the backend holds the window and asks the front end.
async function closeWindow() {
  api.closeAsked!()
  await flushPromises()
}

describe('quitting the window', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => typeof f === 'function' && 'mockReset' in f && f.mockReset())
    api.ownSelectionView.mockResolvedValue(view(selection({ orgsAll: true, classesAll: true })))
    api.previewSelection.mockImplementation(async (_id: number, s) => view(s))
    api.saveSelection.mockImplementation(async (_id: number, s) => view(s))
    api.setUnsaved.mockResolvedValue(undefined)
    api.quit.mockResolvedValue(undefined)
    api.closeHeard.mockResolvedValue(undefined)
  })
  afterEach(() => {
    w?.unmount()
    w = null
    document.body.innerHTML = ''
  })

  it('tells the backend while the wizard holds changes not saved, and when it no longer does', async () => {
    await openWizard()
    expect(api.setUnsaved).not.toHaveBeenCalled()
    useSelection().change({ classesAll: false, classes: [] })
    await flushPromises()
    expect(api.setUnsaved).toHaveBeenLastCalledWith(true)
    useSelection().discard()
    await flushPromises()
    expect(api.setUnsaved).toHaveBeenLastCalledWith(false)
    useSelection().change({ classesAll: false, classes: [] })
    await flushPromises()
    expect(api.setUnsaved).toHaveBeenLastCalledWith(true)
    const closed = useNav().closeWizard() // Save from the question
    await vi.waitFor(() => expect(body('unsaved-save')).not.toBeNull())
    body('unsaved-save')!.click()
    await closed
    await flushPromises()
    expect(api.setUnsaved).toHaveBeenLastCalledWith(false)
    expect(api.quit).not.toHaveBeenCalled()
  })

  it('with changes, asks Save / Discard / Stay: Stay keeps the window and the changes, Discard quits without saving', async () => {
    const nav = await openWizard()
    const sel = useSelection()
    sel.change({ classesAll: false, classes: [] })

    await closeWindow()
    expect(body('unsaved')).not.toBeNull()
    expect(api.closeHeard).toHaveBeenCalledTimes(1) // a page that answers: the backend keeps asking
    body('unsaved-stay')!.click()
    await flushPromises()
    expect(api.quit).not.toHaveBeenCalled()
    expect(nav.view).toBe('wizard')
    expect(sel.draft).toMatchObject({ classesAll: false })

    await closeWindow()
    await closeWindow() // closed again while asking: one question
    expect(document.body.querySelectorAll('[data-testid="unsaved"]')).toHaveLength(1)
    body('unsaved-discard')!.click()
    await flushPromises()
    expect(api.quit).toHaveBeenCalledTimes(1)
    expect(api.saveSelection).not.toHaveBeenCalled()
    expect(sel.draft).toMatchObject({ classesAll: true })
  })

  it('with changes, Save stores the selection, then quits', async () => {
    await openWizard()
    useSelection().change({ classesAll: false, classes: [] })
    await closeWindow()
    body('unsaved-save')!.click()
    await flushPromises()
    expect(api.saveSelection).toHaveBeenCalledWith(7, expect.objectContaining({ classesAll: false, classes: [] }))
    expect(api.quit).toHaveBeenCalledTimes(1)
  })

  it('a Save that fails keeps the window open', async () => {
    await openWizard()
    useSelection().change({ classesAll: false, classes: [] })
    api.saveSelection.mockRejectedValue(new Error('The workspace is read-only.'))
    await closeWindow()
    body('unsaved-save')!.click()
    await flushPromises()
    expect(api.quit).not.toHaveBeenCalled()
  })

  it('without changes, quits at once without asking', async () => {
    await openWizard()
    await closeWindow()
    expect(body('unsaved')).toBeNull()
    expect(api.quit).toHaveBeenCalledTimes(1)
  })
})
