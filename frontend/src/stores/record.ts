import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type RecordView } from '../api'

// useRecord is the record the side panel shows, opened from any list of roster records.
export const useRecord = defineStore('record', () => {
  const view = ref<RecordView | null>(null)
  const open = ref(false)
  let generation = 0

  async function show(entity: string, id: string) {
    const gen = ++generation
    open.value = true
    view.value = null
    try {
      const v = await api.record(entity, id)
      if (gen === generation) view.value = v
    } catch (e) {
      if (gen === generation) close()
      throw e
    }
  }

  function close() {
    generation++
    open.value = false
    view.value = null
  }

  return { view, open, show, close }
})
