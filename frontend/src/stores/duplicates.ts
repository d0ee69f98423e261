import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import {
  api, type Domain, type DomainsConfig, type DuplicatePair, type MergeDecision, type MergeField, type MergeOutcome, type MergeView, type PairPage, type PairQuery, type PairStatus, type Run,
} from '../api'

export const PAGE = 25

// useDuplicates is the review queue: one page of pairs, highest score first, with its filters and
// the pair the keyboard is on. The backend filters and pages.
export const useDuplicates = defineStore('duplicates', () => {
  const filter = reactive<{ status: PairStatus | ''; domain: string; school: string; search: string }>({ status: 'pending', domain: '', school: '', search: '' })
  const page = ref(1)
  const pairs = ref<DuplicatePair[]>([])
  const total = ref(0)
  const domains = ref<string[]>([])
  const schools = ref<{ id: string; name: string }[]>([])
  const counts = ref<PairPage['counts']>({})
  const index = ref(0) // the selected pair in the page
  const loading = ref(false)
  const loaded = ref(false)
  let generation = 0 // an answer to an older query is dropped

  const query = computed<PairQuery>(() => ({ ...filter, offset: (page.value - 1) * PAGE, limit: PAGE }))
  const selected = computed(() => pairs.value[index.value] ?? null)
  const pending = computed(() => counts.value?.pending ?? 0)

  // load fetches the page and keeps the selection at the same place in it (after a decision the
  // next pair slides into the place of the one decided).
  async function load() {
    const gen = ++generation
    loading.value = true
    try {
      const out = await api.duplicatePairs(query.value)
      if (gen !== generation) return
      pairs.value = out.pairs ?? []
      total.value = out.total
      domains.value = out.domains ?? []
      schools.value = out.schools ?? []
      counts.value = out.counts ?? {}
      index.value = Math.max(0, Math.min(index.value, pairs.value.length - 1))
      loaded.value = true
    } finally {
      if (gen === generation) loading.value = false
    }
    // The last pair of the last page was decided: show the page before.
    if (pairs.value.length === 0 && page.value > 1) await goTo(page.value - 1, 'last')
  }

  // refreshCounts updates the counts per status (the pairs waiting, shown in the navigation) without
  // loading a page.
  async function refreshCounts() {
    const out = await api.duplicatePairs({ status: 'pending', domain: '', school: '', search: '', offset: 0, limit: 1 })
    counts.value = out.counts ?? {}
  }

  async function show(patch: Partial<typeof filter>) {
    Object.assign(filter, patch)
    page.value = 1
    index.value = 0
    await load()
  }

  async function goTo(p: number, at: 'first' | 'last' = 'first') {
    page.value = p
    index.value = at === 'first' ? 0 : PAGE - 1
    await load()
  }

  // next and previous move the selection, across pages.
  async function next() {
    if (index.value < pairs.value.length - 1) index.value++
    else if (page.value * PAGE < total.value) await goTo(page.value + 1, 'first')
  }

  async function previous() {
    if (index.value > 0) index.value--
    else if (page.value > 1) await goTo(page.value - 1, 'last')
  }

  function select(pair: DuplicatePair) {
    const i = pairs.value.findIndex((p) => p.pair === pair.pair)
    if (i >= 0) index.value = i
  }

  // notDuplicate records that a pair are two people: nothing changes in the roster and the pair is
  // never proposed again.
  async function notDuplicate(pair: DuplicatePair): Promise<Run> {
    const run = await api.resolveDuplicate(pair.pair, { primary: pair.left, secondaries: null, outcome: 'new', values: {} })
    await load()
    return run
  }

  async function undo(pair: DuplicatePair): Promise<Run> {
    const run = await api.undoDuplicate(pair.pair)
    await load()
    return run
  }

  return { filter, page, pairs, total, domains, schools, counts, index, loading, loaded, selected, pending, load, refreshCounts, show, goTo, next, previous, select, notDuplicate, undo }
})

// Choice is what the merged record keeps of a field when the registrar chose: a record's value
// (by its sourcedId, so the choice survives choosing another primary) or a value typed in.
export type Choice = { record: string } | { typed: string }

// A password is never shown (the backend sends "(hidden)"), so it cannot be chosen or typed: the
// merged record keeps the primary's.
export const locked = (f: MergeField) => f.name === 'password'

// keptIndex is the column whose value the merged record keeps: the one chosen, else the default.
export function keptIndex(view: MergeView, f: MergeField, choice: Choice | undefined): number {
  if (choice && 'record' in choice && !locked(f)) {
    const i = view.records.indexOf(choice.record)
    if (i >= 0) return i
  }
  return f.default
}

// keptValue is the value of a field in the merged record.
export function keptValue(view: MergeView, f: MergeField, choice: Choice | undefined): string {
  if (choice && 'typed' in choice && !locked(f)) return choice.typed
  return f.values[keptIndex(view, f, choice)] ?? ''
}

// decision is what saving sends: the first column is the primary, the others its secondaries, and
// a value for each field where the merged record keeps other than the default.
export function decision(view: MergeView, choices: Record<string, Choice>, outcome: MergeOutcome): MergeDecision {
  const values: Record<string, string> = {}
  if (outcome !== 'new') {
    for (const f of view.fields) {
      const v = keptValue(view, f, choices[f.name])
      if (v !== (f.values[f.default] ?? '')) values[f.name] = v
    }
  }
  return { primary: view.records[0], secondaries: view.records.slice(1), outcome, values }
}

// useMerge is the side-by-side merge of one pair (or a group of three or more records): which record
// is the primary, which value each field keeps, and what happens to the others.
export const useMerge = defineStore('merge', () => {
  const pair = ref<DuplicatePair | null>(null)
  const view = ref<MergeView | null>(null)
  const choices = ref<Record<string, Choice>>({})
  const outcome = ref<MergeOutcome>('delete')
  const result = ref<Run | null>(null)
  const loading = ref(false)
  const saving = ref(false)
  const open = ref(false)
  let generation = 0

  const preview = computed(() => (view.value ? view.value.fields.map((f) => ({ name: f.name, value: keptValue(view.value!, f, choices.value[f.name]) })) : []))
  const current = computed(() => (view.value ? decision(view.value, choices.value, outcome.value) : null))

  // arrange asks the backend for the records in this order (the primary first), so what moves is
  // computed for that primary.
  async function arrange(records: string[] | null) {
    if (!pair.value) return
    const gen = ++generation
    loading.value = true
    try {
      const v = await api.mergeView(pair.value.pair, records)
      if (gen === generation) view.value = v
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  async function start(p: DuplicatePair) {
    pair.value = p
    view.value = null
    choices.value = {}
    outcome.value = 'delete'
    result.value = null
    open.value = true
    await arrange(null)
  }

  function close() {
    generation++
    open.value = false
  }

  const records = () => view.value?.records ?? []
  const setPrimary = (id: string) => arrange([id, ...records().filter((r) => r !== id)])
  const addRecord = (id: string) => arrange([...records(), id.trim()])
  // removeRecord takes a record added to the group out again; the pair's own two stay.
  function removeRecord(id: string) {
    if (!pair.value || id === pair.value.left || id === pair.value.right) return Promise.resolve()
    for (const [name, c] of Object.entries(choices.value)) if ('record' in c && c.record === id) delete choices.value[name]
    return arrange(records().filter((r) => r !== id))
  }

  function choose(field: string, record: string) {
    choices.value = { ...choices.value, [field]: { record } }
  }

  function type(field: string, value: string) {
    choices.value = { ...choices.value, [field]: { typed: value } }
  }

  function reset(field: string) {
    const { [field]: _, ...rest } = choices.value
    choices.value = rest
  }

  async function save(): Promise<Run | null> {
    if (!pair.value || !current.value) return null
    saving.value = true
    try {
      result.value = await api.resolveDuplicate(pair.value.pair, current.value)
      return result.value
    } finally {
      saving.value = false
    }
  }

  return { pair, view, choices, outcome, result, loading, saving, open, preview, current, start, close, setPrimary, addRecord, removeRecord, choose, type, reset, save }
})

// useDomains is the workspace's domains of uniqueness in priority order and whether imports scan:
// each change is saved at once, and the backend's validation is the one that counts.
export const useDomains = defineStore('domains', () => {
  const config = ref<DomainsConfig>({ domains: [] })
  const afterImport = ref(true)
  const saving = ref(false)
  const loaded = ref(false)

  async function load() {
    const [c, on] = await Promise.all([api.duplicateDomains(), api.scanAfterImport()])
    config.value = { ...c, domains: c.domains ?? [] }
    afterImport.value = on
    loaded.value = true
  }

  // save stores domains written as JSON (or changed in the list) and shows them as saved; a mistake
  // is thrown as the backend's message and changes nothing.
  async function save(json: string) {
    saving.value = true
    try {
      const c = await api.setDuplicateDomains(json)
      config.value = { ...c, domains: c.domains ?? [] }
    } finally {
      saving.value = false
    }
  }

  const json = (c: DomainsConfig = config.value) => JSON.stringify(c, null, 2)
  const edited = (change: (d: Domain[]) => void) => {
    const domains = config.value.domains.map((d) => ({ ...d }))
    change(domains)
    return save(json({ ...config.value, domains }))
  }

  // move puts a domain at another place in the priority order.
  const move = (from: number, to: number) =>
    edited((d) => {
      const [it] = d.splice(from, 1)
      d.splice(to, 0, it)
    })
  const setMode = (i: number, mode: Domain['mode']) => edited((d) => (d[i].mode = mode))

  async function setAfterImport(on: boolean) {
    await api.setScanAfterImport(on)
    afterImport.value = on
  }

  return { config, afterImport, saving, loaded, load, save, json, move, setMode, setAfterImport }
})
