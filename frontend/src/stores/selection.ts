import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, type Selection, type SelectionView, type SheetKind } from '../api'
import { toAppError } from '../api/call'
import { choose, type Pick } from './pick'

// PREVIEW_MS lets a burst of clicks settle before the live totals are asked for.
export const PREVIEW_MS = 250

const json = (s: Selection | null) => JSON.stringify(s)

// useSelection is the selection the wizard edits for one connection: the draft being picked, the
// lists and totals the backend computed for it (Preview, live while picking), and saving it.
export const useSelection = defineStore('selection', () => {
  const connectionId = ref(0)
  const view = ref<SelectionView | null>(null)
  const draft = ref<Selection | null>(null)
  const saved = ref('') // the draft as last saved, to tell whether there is anything to save
  const loadError = ref('')
  const saving = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = 0 // answers to earlier previews are dropped

  // A selection nobody saved yet lets everything through; the wizard proposes the default choice
  // (enrolled users only), which takes effect once a step is left.
  const dirty = computed(() => draft.value !== null && (!draft.value.saved || json(draft.value) !== saved.value))

  function show(v: SelectionView) {
    clearTimeout(timer)
    asked++
    view.value = v
    draft.value = JSON.parse(json(v.selection)) // a copy to edit
    saved.value = json(v.selection)
  }

  async function open(id: number) {
    connectionId.value = id
    view.value = null
    draft.value = null
    loadError.value = ''
    try {
      show(await api.selectionView(id))
    } catch (e) {
      loadError.value = toAppError(e).text
    }
  }

  async function preview() {
    const n = ++asked
    const v = await api.previewSelection(connectionId.value, draft.value!)
    if (n === asked) view.value = { ...v, selection: draft.value! }
  }

  function change(patch: Partial<Selection>) {
    draft.value = { ...draft.value!, ...patch }
    clearTimeout(timer)
    timer = setTimeout(() => preview().catch(() => { /* the next change or the save tells */ }), PREVIEW_MS)
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

  // save stores the draft when it changed; the lists come back computed for it.
  async function save() {
    if (!dirty.value) return
    saving.value = true
    try {
      show(await api.saveSelection(connectionId.value, draft.value!))
    } finally {
      saving.value = false
    }
  }

  // apply replaces the selection with one the registrar confirmed (an uploaded spreadsheet's).
  async function apply(sel: Selection) {
    draft.value = sel
    await save()
  }

  async function reset() {
    show(await api.resetSelection(connectionId.value))
  }

  return { connectionId, view, draft, loadError, saving, dirty, open, change, pick, choose: choosing, save, apply, reset }
})
