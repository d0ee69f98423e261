import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, type Me, type Operator } from '../api'

// Tools and rights as backend/rights names them.
export type Tool = 'connections' | 'integrations' | 'imports' | 'exports' | 'resyncs' | 'roster' | 'history' | 'operators'
export type Right = 'read' | 'write' | 'delete'
export const ROLES = ['full', 'limited', 'read-only'] as const
export type Role = (typeof ROLES)[number]

// The workspace's operators and who this window's operator is. The window greys out what the role
// cannot do; the services refuse it anyway, with their own message.
export const useOperators = defineStore('operators', () => {
  const me = ref<Me | null>(null)
  const list = ref<Operator[]>([])

  // Read again on every visit: another window or the command line may have changed a role.
  async function refreshMe() {
    me.value = await api.me()
  }
  async function refresh() {
    const [m, ops] = await Promise.all([api.me(), api.operators()])
    me.value = m
    list.value = ops ?? []
  }
  // can is true until the role is known: the service's answer is what counts.
  function can(tool: Tool, right: Right) {
    return !me.value || (me.value.rights?.[tool] ?? []).includes(right)
  }
  const fulls = computed(() => list.value.filter((o) => o.role === 'full').length)
  // isMe compares as the workspace does, without regard to case.
  const isMe = (name: string) => !!me.value && name.toLowerCase() === me.value.name.toLowerCase()

  async function add(name: string, role: Role) {
    const o = await api.addOperator(name, role)
    await refresh()
    return o
  }
  async function setRole(name: string, role: Role) {
    await api.setOperatorRole(name, role)
    await refresh()
  }
  async function remove(name: string) {
    await api.removeOperator(name)
    await refresh()
  }
  return { me, list, fulls, refresh, refreshMe, can, isMe, add, setRole, remove }
})
