import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type ConnectionCard, type Kind, type NewConnection } from '../api'

export const useConnections = defineStore('connections', () => {
  const cards = ref<ConnectionCard[]>([])
  const kinds = ref<Kind[]>([])
  const workspacePath = ref('')
  const loaded = ref(false)

  async function refresh() {
    const [list, info] = await Promise.all([api.connections(), api.workspace()])
    cards.value = list
    workspacePath.value = info.path
    loaded.value = true
  }

  async function loadKinds() {
    if (kinds.value.length === 0) kinds.value = await api.kinds()
    return kinds.value
  }

  async function add(req: NewConnection) {
    const card = await api.addConnection(req)
    await refresh()
    return card
  }

  async function update(id: number, req: NewConnection) {
    const card = await api.updateConnection(id, req)
    await refresh()
    return card
  }

  async function remove(id: number) {
    await api.removeConnection(id)
    await refresh()
  }

  return { cards, kinds, workspacePath, loaded, refresh, loadKinds, add, update, remove }
})
