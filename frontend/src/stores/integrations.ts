import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { api, type Integration, type IntegrationInput, type IntegrationResult, type Run } from '../api'
import { useJob, type JobState } from '../composables/useJob'
import { useConnections } from './connections'
import { reportError } from '../components/errors'

// IntegrationTask is a run of an integration this window runs, started from the Integrations page (Run
// now) or by the window's scheduler, and its outcome. It lives in the store, so a registrar who goes to
// another screen while it runs finds its progress, then its result, on the row and the card when back.
export interface IntegrationTask {
  id: number // the integration's
  title: string
  scheduled: boolean // started by the window's scheduler
  initial: string // the starting truth a first sync was run with ('' : none asked)
  job: JobState<unknown>
  cancel: () => Promise<void>
  run: Run | null
}

// needsInitial: a first sync found data on both sides and waits to be told which side is the starting
// truth. The engine refuses it with the CLI's way to answer (--initial workspace|external) and marks it
// (details.needs); the window asks instead.
export const needsInitial = (task: IntegrationTask | undefined) =>
  task?.job.status === 'failed' && task.job.error?.details?.needs === 'initial'

// useIntegrations lists the workspace's integrations with their state and next run, and runs them now.
// The backend's scheduler says when a run starts or ends (integrations:changed): the list, and the
// connections' cards, are asked again then.
export const useIntegrations = defineStore('integrations', () => {
  const list = ref<Integration[]>([])
  const loaded = ref(false)
  const tasks = reactive(new Map<number, IntegrationTask>())
  let asked = 0 // an answer to an older refresh is dropped

  async function refresh() {
    const n = ++asked
    const got = (await api.integrations()) ?? []
    if (n !== asked) return
    list.value = got
    loaded.value = true
    for (const i of got) follow(i)
  }

  // ofConnection lists a connection's integrations (the dashboard's card shows them).
  const byConnection = computed(() => {
    const m = new Map<number, Integration[]>()
    for (const i of list.value) m.set(i.connectionId, [...(m.get(i.connectionId) ?? []), i])
    return m
  })
  const ofConnection = (connectionId: number) => byConnection.value.get(connectionId) ?? []

  async function save(input: IntegrationInput) {
    const saved = await api.saveIntegration(input)
    await refresh()
    return saved
  }

  async function remove(id: number) {
    await api.removeIntegration(id)
    tasks.delete(id)
    await refresh()
  }

  async function setEnabled(id: number, on: boolean) {
    const changed = await api.setIntegrationEnabled(id, on)
    list.value = list.value.map((i) => (i.id === id ? changed : i))
    return changed
  }

  // run starts a run of the integration now (initial: the starting truth of a first sync), replacing its
  // last task, and resolves with the task once the run has ended and the list says so.
  const run = (i: Integration, initial = '') => track(i, false, initial, () => api.startIntegrationRun(i.id, false, initial))

  // follow takes up a run the list says this window runs and the store does not follow yet: one its
  // scheduler started, or any after the page was reloaded. Its row and its connection's card then
  // show its progress and result.
  function follow(i: Integration) {
    const mine = tasks.get(i.id)
    const id = i.jobId
    if (!id || mine?.job.status === 'running' || mine?.job.id === id) return
    track(i, i.jobScheduled === true, '', async () => id).catch(reportError)
  }

  // track makes a job the integration's task, replacing its last one.
  async function track(i: Integration, scheduled: boolean, initial: string, starter: () => Promise<string>) {
    const job = useJob<unknown>()
    tasks.set(i.id, { id: i.id, title: i.name, scheduled, initial, job: job.state, cancel: job.cancel, run: null })
    const task = tasks.get(i.id)! // the reactive one
    const done = await job.start('integration', starter)
    const run = (done.result as IntegrationResult | null)?.run
    if (done.status === 'succeeded' && run?.run) task.run = run
    await afterRun()
    return task
  }

  // forget drops an integration's finished task (its run stays in the history).
  function forget(id: number) {
    if (tasks.get(id)?.job.status !== 'running') tasks.delete(id)
  }

  // afterRun asks again for what a run changes: the integrations' state, the cards, the roster summary.
  async function afterRun() {
    const connections = useConnections()
    await Promise.all([refresh(), connections.loaded ? Promise.all([connections.refresh(), connections.refreshSummary()]) : null])
  }

  // The scheduler's runs (the window's own, or the operating system's) start and end without the page.
  api.onIntegrationsChanged(() => {
    if (loaded.value) afterRun().catch(reportError)
  })

  return { list, loaded, tasks, refresh, ofConnection, save, remove, setEnabled, run, forget }
})
