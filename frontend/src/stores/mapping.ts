import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import {
  api, type Mapping, type MappingExample, type MappingField, type MappingPreview, type MappingProblem, type MappingTarget, type MappingView,
} from '../api'
import { toAppError } from '../api/call'

// EDIT_MS lets a burst of keystrokes settle before the mapping is checked and previewed again.
export const EDIT_MS = 200

export interface CodeRow {
  from: string
  to: string
}

// EditField is a field as the screen edits it: the code table as rows (an object cannot hold a row
// being typed, nor two rows with the same code while the registrar fixes one), and a stable id for the
// table's rows while fields move.
export interface EditField extends Omit<MappingField, 'codes'> {
  id: number
  codes: CodeRow[]
}

let ids = 0
const toEdit = (f: MappingField): EditField => ({
  ...f, id: ++ids, codes: Object.entries(f.codes ?? {}).map(([from, to]) => ({ from, to })),
})

// toField is a field as the backend takes it: only what is set, the code table as an object in the
// rows' order, without rows left empty.
function toField(f: EditField): MappingField {
  const out: MappingField = { to: f.to, type: f.type }
  if (f.from) out.from = f.from
  if (f.expr) out.expr = f.expr
  const rows = f.codes.filter((r) => r.from !== '' || r.to !== '')
  if (rows.length || f.type === 'codes') out.codes = Object.fromEntries(rows.map((r) => [r.from, r.to]))
  if (f.unmatched) out.unmatched = f.unmatched
  if (f.default) out.default = f.default
  if (f.key) out.key = true
  if (f.overwrite === false) out.overwrite = false
  return out
}

// canonical is a mapping as text for comparing: the same mapping compares equal however it was written.
const canonical = (fields: MappingField[]) => JSON.stringify(fields.map((f) => [
  f.to, f.type, f.from ?? '', f.expr ?? '', Object.entries(f.codes ?? {}), f.unmatched ?? '', f.default ?? '', f.key === true, f.overwrite !== false,
]))

// useMapping is the mapping the Mapping screen edits for one integration and entity (an export's to a
// rest-push target or an import's or sync's from a source, an import mapping): the fields being edited, what the backend finds wrong
// with them and their values on an example record (both asked again as the registrar edits), saving,
// and sending one test record (exports only).
export const useMapping = defineStore('mapping', () => {
  const targets = ref<MappingTarget[]>([])
  const targetsLoaded = ref(false)
  const integrationId = ref(0)
  const entity = ref('')
  const view = ref<MappingView | null>(null) // as loaded, last saved or reset
  const fields = ref<EditField[]>([])
  const only = ref('') // the condition a record must meet to be sent; blank: every record
  const loadError = ref('')
  const problems = ref<MappingProblem[]>([])
  const example = ref<MappingExample | null>(null)
  const preview = ref<MappingPreview | null>(null)
  const previewError = ref('')
  const previewing = ref(false)
  const saving = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = 0 // answers to earlier checks and previews are dropped

  const target = computed(() => targets.value.find((t) => t.id === integrationId.value) ?? null)
  // importing: the mapping fills roster fields from a source's (no key, no condition, no test record).
  const importing = computed(() => target.value?.direction === 'import')
  const mapping = (): Mapping => ({
    entity: entity.value,
    fields: fields.value.map(toField),
    ...(only.value.trim() && !importing.value ? { only: only.value } : {}),
    ...(view.value?.mapping.import ? { import: true } : {}),
  })
  // changed: the fields differ from the mapping as loaded or saved.
  const changed = computed(() => view.value !== null &&
    (canonical(fields.value.map(toField)) !== canonical(view.value.mapping.fields ?? []) || only.value.trim() !== (view.value.mapping.only ?? '').trim()))
  // canSend: a test record goes with the saved mapping, so there must be one and no edits beside it.
  const canSend = computed(() => !importing.value && view.value !== null && view.value.saved && !changed.value && example.value !== null)

  async function loadTargets() {
    targets.value = (await api.mappingTargets()) ?? []
    targetsLoaded.value = true
    return targets.value
  }

  function show(v: MappingView) {
    clearTimeout(timer)
    timer = undefined
    view.value = v
    fields.value = (v.mapping.fields ?? []).map(toEdit)
    only.value = v.mapping.only ?? ''
  }

  async function open(id: number, ent: string) {
    if (ent !== entity.value) {
      example.value = null
      preview.value = null
    }
    integrationId.value = id
    entity.value = ent
    view.value = null
    loadError.value = ''
    problems.value = []
    if (!ent) return // a target without endpoints has nothing to map
    try {
      show(await api.mapping(id, ent))
    } catch (e) {
      loadError.value = toAppError(e).text
      return
    }
    await refresh()
  }

  // refresh asks what is wrong with the fields as edited, and their values on the example record.
  async function refresh() {
    clearTimeout(timer)
    timer = undefined
    const n = ++asked
    const m = mapping()
    const ex = example.value
    previewing.value = ex !== null
    try {
      const [found, p] = await Promise.all([
        api.checkMapping(m),
        ex ? api.previewMapping(integrationId.value, m, ex.id).catch((e) => toAppError(e)) : Promise.resolve(null),
      ])
      if (n !== asked) return
      problems.value = found ?? []
      if (p instanceof Error) {
        previewError.value = p.text
      } else {
        preview.value = p
        previewError.value = ''
      }
    } finally {
      if (n === asked) previewing.value = false
    }
  }

  function schedule() {
    clearTimeout(timer)
    timer = setTimeout(() => refresh().catch(() => { /* the next edit or save tells */ }), EDIT_MS)
  }

  function edit(i: number, patch: Partial<EditField>) {
    const next = { ...fields.value[i], ...patch }
    fields.value = fields.value.map((f, j) => (j === i ? next : patch.key ? { ...f, key: false } : f))
    schedule()
  }

  function setOnly(condition: string) {
    only.value = condition
    schedule()
  }

  function addField() {
    fields.value = [...fields.value, { id: ++ids, to: '', type: 'direct', from: '', codes: [] }]
    schedule()
  }

  function removeField(i: number) {
    fields.value = fields.value.filter((_, j) => j !== i)
    schedule()
  }

  // move swaps a field with the one above (-1) or below (+1): the payload keeps the table's order.
  function move(i: number, by: -1 | 1) {
    const j = i + by
    if (j < 0 || j >= fields.value.length) return
    const next = [...fields.value]
    ;[next[i], next[j]] = [next[j], next[i]]
    fields.value = next
    schedule()
  }

  function pickExample(ex: MappingExample | null) {
    example.value = ex
    if (!ex) preview.value = null
    return refresh()
  }

  const searchExamples = async (search: string) => (await api.mappingExamples(entity.value, search)) ?? []

  // save stores the fields; refused, the problems the backend finds are shown with their fields.
  async function save() {
    clearTimeout(timer)
    timer = undefined
    saving.value = true
    const m = mapping()
    try {
      await api.saveMapping(integrationId.value, m)
      view.value = { ...view.value!, mapping: m, saved: true }
    } catch (e) {
      await refresh().catch(() => { /* the refusal is what matters */ })
      throw e
    } finally {
      saving.value = false
    }
  }

  function discard() {
    if (view.value) show(view.value)
    problems.value = []
    return refresh()
  }

  async function reset() {
    show(await api.resetMapping(integrationId.value, entity.value))
    await refresh()
  }

  // readCodes reads an edited code table (.xlsx or .csv) as rows, leaving the field as it is.
  const readCodes = async (path: string): Promise<CodeRow[]> => Object.entries((await api.loadCodes(path)) ?? {}).map(([from, to]) => ({ from, to }))
  const saveCodes = (i: number, format: 'xlsx' | 'csv') => api.saveCodes(toField(fields.value[i]), format)
  const sendTestRecord = () => api.sendTestRecord(integrationId.value, entity.value, example.value!.id)

  return {
    targets, targetsLoaded, integrationId, entity, view, fields, only, loadError, problems, example, preview, previewError, previewing, saving,
    target, importing, changed, canSend, mapping, loadTargets, open, refresh, edit, setOnly, addField, removeField, move, pickExample, searchExamples, save, discard,
    reset, readCodes, saveCodes, sendTestRecord,
  }
})
