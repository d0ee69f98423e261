import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { api, type Browsable, type BrowseQuery, type RosterCounts, type RosterFilter, type RosterFilterChoices } from '../api'
import { reportError } from '../components/errors'

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
  const match = ref<Record<string, string>>({}) // the columns' own filters
  const sort = ref('') // '' is sourcedId order
  const desc = ref(false)
  const choices = ref<RosterFilterChoices>(noChoices())
  const columns = ref<string[]>([])
  const total = ref(0)
  const rows = shallowRef(new Map<number, string[]>())
  const counts = ref<RosterCounts>({ active: {}, deleted: {} })
  const version = ref(0) // bumped when rows arrive, so views re-render
  // loading: a new search, filter, order or tab is being asked for; the rows of the one before stay
  // until its first window arrives, so the table never flashes empty.
  const loading = ref(false)
  // counting: the first window is shown and fills it; how many match in all is being counted.
  const counting = ref(false)
  const widths = ref<Record<string, number>>({}) // "entity.column" -> width the registrar dragged it to
  const ticked = ref(new Set<string>())
  // capped: "select all" found more records than it may tick (the backend's cap).
  const capped = ref(0)
  let generation = 0 // responses for an older query are dropped
  let requested = new Set<number>()
  let inflight: Promise<void> | null = null
  let again = false

  const query = (): BrowseQuery => ({
    entity: entity.value, search: search.value, filter: filter.value, match: match.value, sort: sort.value, desc: desc.value,
  })

  async function refreshCounts() {
    counts.value = await api.rosterCounts()
  }

  // show switches entity or search and loads the first window; another entity starts with no filter,
  // in sourcedId order, and nothing ticked.
  async function show(e: Browsable, q: string) {
    if (e !== entity.value) {
      filter.value = noFilter()
      match.value = {}
      sort.value = ''
      desc.value = false
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

  // setMatch changes a column's filter (the text its values contain).
  async function setMatch(column: string, text: string) {
    match.value = { ...match.value, [column]: text.trim() }
    await reload()
  }

  // sortBy orders by a column: going up, then down, then back to sourcedId order.
  async function sortBy(column: string) {
    if (sort.value !== column) [sort.value, desc.value] = [column, false]
    else if (!desc.value) desc.value = true
    else [sort.value, desc.value] = ['', false]
    await reload()
  }

  async function loadChoices() {
    const e = entity.value
    const c = await api.filterChoices(e)
    if (e === entity.value) choices.value = { ...c, roles: c.roles ?? [], orgTypes: c.orgTypes ?? [] }
  }

  // reload asks for the first window of the query shown. While one is being answered, changes made
  // meanwhile wait for it and only the latest is asked next: typing never queues a query per key.
  // It resolves once the rows are shown; the count follows.
  async function reload() {
    generation++
    loading.value = true
    if (inflight) {
      again = true
      return inflight
    }
    inflight = (async () => {
      try {
        do {
          again = false
          await first()
        } while (again)
      } finally {
        inflight = null
        loading.value = false
      }
    })()
    return inflight
  }

  async function first() {
    const gen = generation
    const q = query()
    const page = await api.browse(q, 0, WINDOW)
    if (gen !== generation) return
    requested = new Set([0])
    columns.value = page.columns
    rows.value = new Map(page.rows.map((r, i) => [i, r]))
    counting.value = page.total < 0
    total.value = counting.value ? page.rows.length : page.total
    loading.value = false
    version.value++
    if (counting.value) {
      api.rosterCount(q).then((n) => {
        if (gen === generation) total.value = n
      }, reportError).finally(() => {
        if (gen === generation) counting.value = false
      })
    }
  }

  // ensure loads the windows covering rows first..last that are not loaded or loading yet.
  async function ensure(first: number, last: number) {
    if (loading.value) return // the first window of a new query replaces everything
    const gen = generation
    const q = query()
    const loads: Promise<void>[] = []
    for (let w = Math.floor(Math.max(first, 0) / WINDOW); w <= Math.floor(Math.max(last, 0) / WINDOW); w++) {
      if (requested.has(w) || (w > 0 && w * WINDOW >= total.value)) continue
      requested.add(w)
      loads.push(
        api.browse(q, w * WINDOW, WINDOW).then((page) => {
          if (gen !== generation) return
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

  const widthKey = (column: string) => `${entity.value}.${column}`
  const width = (column: string) => widths.value[widthKey(column)]
  function resize(column: string, px: number) {
    widths.value = { ...widths.value, [widthKey(column)]: Math.round(Math.min(Math.max(px, 60), 800)) }
  }

  function tick(id: string, on: boolean) {
    const next = new Set(ticked.value)
    if (on) next.add(id)
    else next.delete(id)
    ticked.value = next
    capped.value = 0
  }

  // tickAll ticks every record the search and filters match, added to those ticked already.
  async function tickAll() {
    const e = entity.value
    const res = await api.browseIds(query())
    if (e !== entity.value) return
    ticked.value = new Set([...ticked.value, ...res.ids])
    capped.value = res.total > res.ids.length ? res.total : 0
  }

  // save writes every row of the view, as shown, to a file in Downloads and returns its path.
  const save = (format: 'xlsx' | 'csv') => api.saveView(query(), format)

  function clear() {
    ticked.value = new Set()
    capped.value = 0
  }

  return {
    entity, search, filter, match, sort, desc, choices, columns, total, rows, counts, version, loading, counting, ticked, capped,
    show, setFilter, setMatch, sortBy, loadChoices, ensure, refreshCounts, tick, tickAll, clear, save, width, resize,
  }
})
