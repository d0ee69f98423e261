import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { api, type ConnectionCard, type FetchResult, type Kind, type NewConnection, type Run, type RosterSummary } from '../api'
import { useJob, type JobState } from '../composables/useJob'

// Task is a job started from the dashboard (a fetch, an import, the demo district) and its outcome: a
// fetch report or a run. It lives in the store, not in the view, so a registrar who goes to another
// screen while it runs finds its progress, then its result, on the card when back.
export interface Task {
  key: string // the card's id, or 'demo'
  title: string
  card: ConnectionCard | null
  job: JobState<unknown>
  cancel: () => Promise<void>
  report: FetchResult | null
  run: Run | null
}

export const DEMO = 'demo'
export const taskKey = (card: ConnectionCard | null) => (card ? String(card.id) : DEMO)

// The first cards are in the page (app.go, withFirstCards): the dashboard paints them in its first
// render, before the page's bridge to Go has opened. Later refreshes ask the bridge.
const inPage = document.getElementById('first-cards')
let firstCards: ConnectionCard[] | null = inPage ? JSON.parse(inPage.textContent!) : null

export const useConnections = defineStore('connections', () => {
  const cards = ref<ConnectionCard[]>(firstCards ?? [])
  const kinds = ref<Kind[]>([])
  const workspacePath = ref('')
  const logsPath = ref('')
  const loaded = ref(firstCards !== null)
  const summary = ref<RosterSummary | null>(null)
  const tasks = reactive(new Map<string, Task>())
  // One job at a time: the backend applies one run to the roster at once.
  const running = computed(() => [...tasks.values()].some((t) => t.job.status === 'running'))

  // The cards show as soon as the list comes: the workspace's paths (the header, Help) do not hold
  // them up.
  async function refresh() {
    const info = api.workspace().then((i) => {
      workspacePath.value = i.path
      logsPath.value = i.logs
    })
    try {
      // The page's own cards are on screen already; from then on the bridge has the latest.
      if (firstCards) firstCards = null
      else cards.value = await api.connections()
      loaded.value = true
    } finally {
      await info
    }
  }

  async function refreshSummary() {
    summary.value = await api.rosterSummary()
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
    tasks.delete(String(id))
    await refresh()
  }

  // runTask starts a job for a card (or the demo), replacing the card's last task, and resolves with
  // the task once the job has ended and the cards and the summary say what it changed.
  async function runTask(title: string, card: ConnectionCard | null, kind: string, starter: () => Promise<string>): Promise<Task> {
    const job = useJob<unknown>()
    const key = taskKey(card)
    tasks.set(key, { key, title, card, job: job.state, cancel: job.cancel, report: null, run: null })
    const task = tasks.get(key)! // the reactive one
    const done = await job.start(kind, starter)
    if (done.status === 'succeeded') {
      if (kind === 'fetch') task.report = done.result as FetchResult
      else task.run = done.result as Run
    }
    await Promise.all([refresh(), refreshSummary()])
    return task
  }

  // forget drops a card's finished task (its result stays in the history).
  function forget(key: string) {
    if (tasks.get(key)?.job.status !== 'running') tasks.delete(key)
  }

  return {
    cards, kinds, workspacePath, logsPath, loaded, summary, tasks, running,
    refresh, refreshSummary, loadKinds, add, update, remove, runTask, forget,
  }
})
