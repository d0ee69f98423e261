import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api, type Difference, type Resynced, type VerifyResult } from '../api'
import { useJob } from '../composables/useJob'

// The objects re-sync by IDs takes, in the order the screen offers them.
export const RESYNC_OBJECTS = ['users', 'enrollments', 'classes', 'orgs'] as const
export type ResyncObject = (typeof RESYNC_OBJECTS)[number]
export type DifferenceKind = 'missingInRoster' | 'missingInConnection' | 'differs'
export type VerifyTab = 'summary' | 'resync'

// rowKey names a difference in the table: one record of one entity.
export const rowKey = (d: Difference) => `${d.entity}/${d.sourcedId}`

// useVerify is the Verify screen: the verification summary of a connection (its counts and rows,
// filtered in the window) and the re-sync by IDs form, which selected rows fill in one click.
// Jobs live here, so they carry on when the registrar visits another screen.
export const useVerify = defineStore('verify', () => {
  const tab = ref<VerifyTab>('summary')

  // The verification: which connection (or integration) and entity, the job and its result.
  const target = ref<string | null>(null) // "c:ID" (a connection) or "i:ID" (an integration)
  const entity = ref('')
  const verifyJob = useJob<VerifyResult>()
  const result = shallowRef<VerifyResult | null>(null)
  const filter = ref({ entity: '', kind: '' as DifferenceKind | '', search: '' })
  const checked = ref<string[]>([])

  const rows = computed(() => {
    const f = filter.value
    const q = f.search.trim().toLowerCase()
    return (result.value?.rows ?? []).filter((d) => (!f.entity || d.entity === f.entity) && (!f.kind || d.kind === f.kind) &&
      (!q || d.sourcedId.toLowerCase().includes(q) || d.rosterId.toLowerCase().includes(q)))
  })

  function parseTarget(value: string | null) {
    const [kind, id] = (value ?? '').split(':')
    return { connectionId: kind === 'c' ? Number(id) : 0, integrationId: kind === 'i' ? Number(id) : 0 }
  }

  async function verify() {
    if (!target.value) return
    const { connectionId, integrationId } = parseTarget(target.value)
    checked.value = []
    const state = await verifyJob.start('verify', () => api.startVerify(connectionId, integrationId, entity.value))
    if (state.status === 'succeeded' && state.result) {
      result.value = state.result
      filter.value = { entity: '', kind: '', search: '' }
    }
    return state
  }

  // The re-sync by IDs form and its job.
  const object = ref<ResyncObject>('users')
  const ids = ref('')
  const resyncTarget = ref<number | null>(null)
  const withDependencies = ref(true)
  const resyncJob = useJob<Resynced>()

  // toResync fills the re-sync form with the checked rows (one object: the first checked row's
  // entity, when it is one re-sync takes) and shows it; a verified target is the one to send to.
  function toResync(targetId: number | null) {
    const chosen = (result.value?.rows ?? []).filter((d) => checked.value.includes(rowKey(d)))
    const ent = chosen.find((d) => (RESYNC_OBJECTS as readonly string[]).includes(d.entity))?.entity as ResyncObject | undefined
    if (!ent) return false
    object.value = ent
    ids.value = [...new Set(chosen.filter((d) => d.entity === ent).map((d) => d.rosterId || d.sourcedId))].join('\n')
    if (targetId !== null) resyncTarget.value = targetId
    resyncJob.reset()
    tab.value = 'resync'
    return true
  }

  async function resync() {
    if (resyncTarget.value === null || !ids.value.trim()) return
    const id = resyncTarget.value
    return resyncJob.start('resync', () => api.startResync(id, object.value, ids.value, withDependencies.value))
  }

  return { tab, target, entity, verifyJob, result, filter, checked, rows, parseTarget, verify, object, ids, resyncTarget, withDependencies, resyncJob, toResync, resync }
})
