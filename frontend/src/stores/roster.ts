import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { api, type Browsable, type RosterCounts } from '../api'

export const WINDOW = 200

// The roster browser's data: rows are fetched in windows of 200 as they scroll into view and kept in
// a sparse cache, so a 100,000-user roster never crosses the bridge whole.
export const useRoster = defineStore('roster', () => {
  const entity = ref<Browsable>('orgs')
  const search = ref('')
  const columns = ref<string[]>([])
  const total = ref(0)
  const rows = shallowRef(new Map<number, string[]>())
  const counts = ref<RosterCounts>({ active: {}, deleted: {} })
  const version = ref(0) // bumped when rows arrive, so views re-render
  let generation = 0 // responses for an older entity or search are dropped
  const requested = new Set<number>()

  async function refreshCounts() {
    counts.value = await api.rosterCounts()
  }

  // show switches entity or search and loads the first window.
  async function show(e: Browsable, q: string) {
    entity.value = e
    search.value = q
    generation++
    requested.clear()
    rows.value = new Map()
    total.value = 0
    await ensure(0, WINDOW - 1)
  }

  // ensure loads the windows covering rows first..last that are not loaded or loading yet.
  async function ensure(first: number, last: number) {
    const gen = generation
    const loads: Promise<void>[] = []
    for (let w = Math.floor(Math.max(first, 0) / WINDOW); w <= Math.floor(Math.max(last, 0) / WINDOW); w++) {
      if (requested.has(w) || (w > 0 && w * WINDOW >= total.value)) continue
      requested.add(w)
      loads.push(
        api.browse(entity.value, search.value, w * WINDOW, WINDOW).then((page) => {
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

  return { entity, search, columns, total, rows, counts, version, show, ensure, refreshCounts }
})
