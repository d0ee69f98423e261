import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api, type Chosen, type Direction, type ListQuery, type PickPage, type Selection, type SelectionView } from '../api'
import { toAppError } from '../api/call'
import { reportError } from '../components/errors'

// PREVIEW_MS lets a burst of clicks settle before the live totals are asked for.
export const PREVIEW_MS = 250
// PAGE_SIZE is how many rows of a pick list the window shows at once: the lists stay in the backend.
export const PAGE_SIZE = 50

// Why nothing (or no user) goes through, when that is so: a key of wizard.nothing.
export type Nothing = '' | 'noSchool' | 'noClass' | 'noStatus' | 'noUser'

// canonical is a selection as text for comparing: the same choice compares equal however it was made.
// A held draft (its long lists in the backend) is taken as changed.
const canonical = (s: Selection) => JSON.stringify([
  s.orgsAll, s.orgsAll ? [] : [...(s.orgs ?? [])].sort(), s.classesAll, s.classesAll ? [] : [...(s.classes ?? [])].sort(),
  [...s.statuses].sort(), s.withoutEnrollments, s.guardians, s.holdDelete, s.holdChange, !!s.held,
])

// SelectionOf is what the wizard edits the selection of: an integration (id not 0), or the own
// integration of a connection and direction (the connection's card).
export interface SelectionOf {
  connectionId: number
  direction: Direction
  integrationId: number
}

// useSelection is the selection the wizard edits for one integration: the draft being picked, the
// lists and totals the backend computed for it (Preview, live while picking), and saving it. Nothing
// the registrar picks is stored until save(): runs use the saved selection.
export const useSelection = defineStore('selection', () => {
  const integrationId = ref(0) // the integration whose selection is open, once loaded
  const view = ref<SelectionView | null>(null)
  const draft = ref<Selection | null>(null)
  const stored = shallowRef<SelectionView | null>(null) // as loaded or last saved, for discard(); read only
  const loadError = ref('')
  const saving = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: Promise<void> | null = null
  let asked = 0 // answers to earlier previews are dropped
  // The page of the schools or classes step in view, and the query it answers.
  const query = ref<ListQuery>({ what: 'orgs', search: '', onlyChosen: false, sort: '', desc: false, offset: 0, limit: PAGE_SIZE })
  const page = ref<PickPage | null>(null)
  const split = ref<Chosen | null>(null) // the last untick that split a district, for its message
  let pageAsked = 0 // answers to earlier page questions are dropped
  let choosing: Promise<void> = Promise.resolve() // ticks apply one after the other, each on the last's draft

  // changed: the registrar changed the selection since it was loaded or saved.
  const storedKey = computed(() => stored.value && canonical(stored.value.selection))
  const changed = computed(() => draft.value !== null && storedKey.value !== null && canonical(draft.value) !== storedKey.value)
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
    refresh()
  }

  // list asks for the page a query shows (a search, a sort, another page) of the draft's lists.
  async function list(patch: Partial<ListQuery> = {}) {
    if (patch.what && patch.what !== query.value.what) page.value = null // another step's page
    query.value = { ...query.value, ...patch }
    const n = ++pageAsked
    try {
      // After the ticks on their way: asked before they are applied, the page would show the lists
      // from before them, and drop their answer as older than itself.
      await choosing
      if (n !== pageAsked) return
      const p = await api.pickPage(integrationId.value, draft.value!, query.value)
      if (n === pageAsked) page.value = p
    } catch (e) {
      if (n === pageAsked) reportError(e)
    }
  }

  // refresh asks again for the page in view, after the draft changed otherwise than by ticks.
  function refresh() {
    if (page.value) list().catch(() => { /* reported */ })
  }

  async function open(of: SelectionOf) {
    integrationId.value = of.integrationId
    view.value = null
    draft.value = null
    stored.value = null
    page.value = null
    split.value = null
    loadError.value = ''
    try {
      const v = await (of.integrationId ? api.selectionView(of.integrationId) : api.ownSelectionView(of.connectionId, of.direction))
      integrationId.value = v.integration.id
      show(v)
    } catch (e) {
      loadError.value = toAppError(e).text
    }
  }

  function preview(): Promise<void> {
    const n = ++asked
    const p = api.previewSelection(integrationId.value, draft.value!).then((v) => {
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
    await choosing
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
      preview().catch(() => { /* awaited below */ })
    }
    if (inflight) await inflight
  }

  // choose ticks (on) or unticks rows of the list in view: the ids given, or with none every row its
  // search shows (Select all / none). Ticks show at once; the backend, where the lists are, works out
  // the selection and the page, one tick after the other.
  function choose(ids: string[] | null, on: boolean): Promise<void> {
    const p = page.value
    for (const r of [...(p?.orgs ?? []), ...(p?.classes ?? [])]) {
      if (ids === null || ids.includes(r.id)) {
        const was = r.selected || ('covered' in r && r.covered)
        r.selected = on
        if ('covered' in r) r.covered = false
        if (p && ids !== null && was !== on) p.chosen += on ? 1 : -1
      }
    }
    if (p && ids === null && !query.value.search.trim() && !query.value.onlyChosen) p.chosen = on ? p.listed : 0 // every row
    pageAsked++ // a page asked for before this tick is out of date
    const run = async () => {
      const q = { ...query.value, ids: ids ?? [], on }
      const n = ++pageAsked
      const res = await api.choose(integrationId.value, draft.value!, q)
      // Once the lists are long the backend keeps them and answers "held": the draft then carries no
      // lists, and every call sends it so (a tick among 24,000 chosen classes carries the tick).
      const s = res.selection
      change(s.held || draft.value!.held
        ? { orgsAll: s.orgsAll, orgs: s.orgs ?? [], classesAll: s.classesAll, classes: s.classes ?? [], held: !!s.held }
        : q.what === 'orgs' ? { orgsAll: s.orgsAll, orgs: s.orgs ?? [] } : { classesAll: s.classesAll, classes: s.classes ?? [] })
      if (n === pageAsked) page.value = res.page
      split.value = res.split.length ? res : null
    }
    choosing = choosing.then(run, run).catch((e) => {
      reportError(e)
      refresh()
    })
    return choosing
  }

  // nothing says why nothing, or no user, goes through with the draft, from the backend's totals.
  const nothing = computed<Nothing>(() => {
    const t = view.value?.totals
    if (!t || !draft.value) return ''
    if (!t.orgs) return 'noSchool'
    if (!t.classes) return 'noClass'
    if (!t.users) return draft.value.statuses.length ? 'noUser' : 'noStatus'
    return ''
  })

  // save stores the draft when there is something to store; the lists come back computed for it.
  async function save() {
    if (!unsaved.value) return
    saving.value = true
    try {
      show(await api.saveSelection(integrationId.value, draft.value!))
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
    change(draft.value!.held ? { ...sel, held: false } : sel)
    refresh()
  }

  async function reset() {
    show(await api.resetSelection(integrationId.value))
  }

  return {
    integrationId, view, draft, loadError, saving, changed, unsaved, query, page, split, nothing,
    open, change, settle, list, choose, save, discard, apply, reset,
  }
})
