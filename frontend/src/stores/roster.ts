import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { api, type Browsable, type RosterCounts, type RosterFilter, type RosterFilterChoices } from '../api'

export const WINDOW = 200

export const noFilter = (): RosterFilter => ({ school: '', grade: '', status: '', role: '', type: '' })
const noChoices = (): RosterFilterChoices => ({ schools: [], grades: [], roles: [], orgTypes: [] })

// The roster browser's data: rows are fetched in windows of 200 as they scroll into view and kept in
// a sparse cache, so a 100,000-user roster never crosses the bridge whole. Ticked rows are kept by
// roster ID (across searches and filters, not across tabs) for the bulk actions.
export const useRoster = defineStore('roster', () => {
  const entity = ref<Browsable>('orgs')
  const search = ref('')
  const filter = ref<RosterFilter>(noFilter())
  const choices = ref<RosterFilterChoices>(noChoices())
  const columns = ref<string[]>([])
  const total = ref(0)
  const rows = shallowRef(new Map<number, string[]>())
  const counts = ref<RosterCounts>({ active: {}, deleted: {} })
  const version = ref(0) // bumped when rows arrive, so views re-render
  // loading: a new search, filter or tab is being asked for; until it answers the view says so
  // rather than "No records".
  const loading = ref(false)
  const ticked = ref(new Set<string>())
  // capped: "select all" found more records than it may tick (the backend's cap).
  const capped = ref(0)
  let generation = 0 // responses for an older entity, search or filter are dropped
  const requested = new Set<number>()

  async function refreshCounts() {
    counts.value = await api.rosterCounts()
  }

  // show switches entity or search and loads the first window; another entity starts with no filter
  // and nothing ticked.
  async function show(e: Browsable, q: string) {
    if (e !== entity.value) {
      filter.value = noFilter()
      choices.value = noChoices()
      clear()
    }
    entity.value = e
    search.value = q
    await reload()
  }

  // setFilter changes one filter and loads the first window again.
  async function setFilter(name: keyof RosterFilter, value: string | null) {
    filter.value = { ...filter.value, [name]: value ?? '' }
    await reload()
  }

  async function loadChoices() {
    const e = entity.value
    const c = await api.filterChoices(e)
    if (e === entity.value) choices.value = { ...c, roles: c.roles ?? [], orgTypes: c.orgTypes ?? [] }
  }

  async function reload() {
    const gen = ++generation
    requested.clear()
    rows.value = new Map()
    total.value = 0
    loading.value = true
    try {
      await ensure(0, WINDOW - 1)
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  // ensure loads the windows covering rows first..last that are not loaded or loading yet.
  async function ensure(first: number, last: number) {
    const gen = generation
    const loads: Promise<void>[] = []
    for (let w = Math.floor(Math.max(first, 0) / WINDOW); w <= Math.floor(Math.max(last, 0) / WINDOW); w++) {
      if (requested.has(w) || (w > 0 && w * WINDOW >= total.value)) continue
      requested.add(w)
      loads.push(
        api.browse(entity.value, search.value, w * WINDOW, WINDOW, filter.value).then((page) => {
          if (gen !== generation) return
          columns.value = page.columns
          total.value = page.total
          page.rows.forEach((r, i) => rows.value.set(w * WINDOW + i, r))
          version.value++
        }).catch((e) => {
          requested.delete(w)
          throw e
        }),
      )
    }
    await Promise.all(loads)
  }

  function tick(id: string, on: boolean) {
    const next = new Set(ticked.value)
    if (on) next.add(id)
    else next.delete(id)
    ticked.value = next
    capped.value = 0
  }

  // tickAll ticks every record the search and filter match, added to those ticked already.
  async function tickAll() {
    const e = entity.value
    const res = await api.browseIds(e, search.value, filter.value)
    if (e !== entity.value) return
    ticked.value = new Set([...ticked.value, ...res.ids])
    capped.value = res.total > res.ids.length ? res.total : 0
  }

  function clear() {
    ticked.value = new Set()
    capped.value = 0
  }

  return {
    entity, search, filter, choices, columns, total, rows, counts, version, loading, ticked, capped,
    show, setFilter, loadChoices, ensure, refreshCounts, tick, tickAll, clear,
  }
})
