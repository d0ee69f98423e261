import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, type Selection, type SelectionView, type SheetKind } from '../api'
import { toAppError } from '../api/call'
import { choose, type Pick } from './pick'

// PREVIEW_MS lets a burst of clicks settle before the live totals are asked for.
export const PREVIEW_MS = 250

// canonical is a selection as text for comparing: the same choice compares equal however it was made.
const canonical = (s: Selection) => JSON.stringify([
  s.orgsAll, s.orgsAll ? [] : [...(s.orgs ?? [])].sort(), s.classesAll, s.classesAll ? [] : [...(s.classes ?? [])].sort(),
  [...s.statuses].sort(), s.withoutEnrollments, s.holdDelete, s.holdChange,
])

// useSelection is the selection the wizard edits for one connection: the draft being picked, the
// lists and totals the backend computed for it (Preview, live while picking), and saving it. Nothing
// the registrar picks is stored until save(): runs use the saved selection.
export const useSelection = defineStore('selection', () => {
  const connectionId = ref(0)
  const view = ref<SelectionView | null>(null)
  const draft = ref<Selection | null>(null)
  const stored = ref<SelectionView | null>(null) // as loaded or last saved, for discard()
  const loadError = ref('')
  const saving = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: Promise<void> | null = null
  let asked = 0 // answers to earlier previews are dropped

  // changed: the registrar changed the selection since it was loaded or saved.
  const changed = computed(() => draft.value !== null && stored.value !== null && canonical(draft.value) !== canonical(stored.value.selection))
  // unsaved: saving would store something, the registrar's changes or the default the wizard proposes
  // for a connection nobody chose for (which lets everything through until then).
  const unsaved = computed(() => changed.value || (stored.value !== null && !stored.value.selection.saved))

  function show(v: SelectionView) {
    clearTimeout(timer)
    timer = undefined
    asked++
    view.value = v
    stored.value = v
    draft.value = JSON.parse(JSON.stringify(v.selection)) // a copy to edit
  }

  async function open(id: number) {
    connectionId.value = id
    view.value = null
    draft.value = null
    stored.value = null
    loadError.value = ''
    try {
      show(await api.selectionView(id))
    } catch (e) {
      loadError.value = toAppError(e).text
    }
  }

  function preview(): Promise<void> {
    const n = ++asked
    const p = api.previewSelection(connectionId.value, draft.value!).then((v) => {
      if (n === asked) view.value = { ...v, selection: draft.value! }
    }).finally(() => {
      if (inflight === p) inflight = null
    })
    inflight = p
    return p
  }

  function change(patch: Partial<Selection>) {
    draft.value = { ...draft.value!, ...patch }
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      preview().catch(() => { /* the next change or settle() tells */ })
    }, PREVIEW_MS)
  }

  // settle resolves once the lists are those of the draft: a preview still waiting for the clicks to
  // settle is asked for at once.
  async function settle() {
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
      preview().catch(() => { /* awaited below */ })
    }
    if (inflight) await inflight
  }

  // pick is the draft's choice of orgs or classes.
  const pick = (what: SheetKind): Pick => {
    const d = draft.value!
    return what === 'orgs' ? { all: d.orgsAll, ids: d.orgs ?? [] } : { all: d.classesAll, ids: d.classes ?? [] }
  }

  function choosing(what: SheetKind, ids: readonly string[], on: boolean) {
    const rows = what === 'orgs' ? view.value!.orgs : view.value!.classes
    const p = choose(pick(what), rows, ids, on)
    change(what === 'orgs' ? { orgsAll: p.all, orgs: p.ids } : { classesAll: p.all, classes: p.ids })
  }

  // save stores the draft when there is something to store; the lists come back computed for it.
  async function save() {
    if (!unsaved.value) return
    saving.value = true
    try {
      show(await api.saveSelection(connectionId.value, draft.value!))
    } finally {
      saving.value = false
    }
  }

  // discard forgets the changes: the draft is the stored selection again.
  function discard() {
    if (stored.value) show(stored.value)
  }

  // apply makes a selection the registrar reviewed (an uploaded spreadsheet's) the draft.
  function apply(sel: Selection) {
    change(sel)
  }

  async function reset() {
    show(await api.resetSelection(connectionId.value))
  }

  return { connectionId, view, draft, loadError, saving, changed, unsaved, open, change, settle, pick, choose: choosing, save, discard, apply, reset }
})
