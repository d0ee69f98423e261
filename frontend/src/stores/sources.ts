import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Run, type Source } from '../api'

// moved is the list with the item at from put at to (both indexes in the list as it is).
export function moved<T>(list: T[], from: number, to: number): T[] {
  const out = [...list]
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item)
  return out
}

// useSources is the source connections in precedence order: for each field the roster keeps the value
// of the highest source that has one. Every move is saved at once.
export const useSources = defineStore('sources', () => {
  const list = ref<Source[]>([])
  const loaded = ref(false)
  const saving = ref(false)

  async function refresh() {
    list.value = (await api.sources()) ?? []
    loaded.value = true
  }

  // move puts the source at index from at index to and saves the order, which the backend applies to
  // the roster at once in a recorded run (returned; null when the order did not change). On failure
  // the list is read again, so it shows the order really saved.
  async function move(from: number, to: number): Promise<Run | null> {
    const next = moved(list.value, from, to)
    if (next.every((s, i) => s.id === list.value[i].id)) return null
    list.value = next
    saving.value = true
    let run: Run
    try {
      run = await api.setPrecedence(next.map((s) => s.id))
      await refresh()
    } catch (e) {
      await refresh().catch(() => {})
      throw e
    } finally {
      saving.value = false
    }
    return run
  }

  return { list, loaded, saving, refresh, move }
})
