import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { api, type Conflict, type ConflictQuery } from '../api'

export const PAGE = 50

// useConflicts is one page of the fields the roster's sources disagree on, with its filters; the
// backend pages and filters, so thousands of conflicts never cross the bridge at once.
export const useConflicts = defineStore('conflicts', () => {
  const filter = reactive({ entity: '', field: '', search: '' })
  const page = ref(1)
  const rows = ref<Conflict[]>([])
  const total = ref(0)
  const fields = ref<string[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  let generation = 0 // an answer to an older query is dropped

  const query = computed<ConflictQuery>(() => ({ ...filter, offset: (page.value - 1) * PAGE, limit: PAGE }))

  async function load() {
    const gen = ++generation
    loading.value = true
    try {
      const out = await api.conflicts(query.value)
      if (gen !== generation) return
      rows.value = out.rows ?? []
      total.value = out.total
      fields.value = out.fields ?? []
      loaded.value = true
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  // show changes a filter (entity, field or search) and loads the first page; choosing another entity
  // clears the field, which may not be one of its fields.
  async function show(patch: Partial<typeof filter>) {
    if (patch.entity !== undefined && patch.entity !== filter.entity) filter.field = ''
    Object.assign(filter, patch)
    page.value = 1
    await load()
  }

  async function goTo(p: number) {
    page.value = p
    await load()
  }

  // save writes every conflict the filters match as XLSX in Downloads and returns the file's path.
  const save = () => api.saveConflicts({ ...filter, offset: 0, limit: 0 })

  return { filter, page, rows, total, fields, loading, loaded, load, show, goTo, save }
})
