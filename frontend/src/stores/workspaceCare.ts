import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, type BackupFile, type WorkspaceCheck } from '../api'
import { useJob, type JobState } from '../composables/useJob'

// useWorkspaceCare is Settings → Workspace's jobs: a check and a backup. They live here, not in the
// view, so a registrar who goes to another screen while one runs finds its progress, the time it has
// taken and Cancel when back, or its result if it ended meanwhile.
export const useWorkspaceCare = defineStore('workspaceCare', () => {
  const check = useJob<WorkspaceCheck>()
  const backup = useJob<BackupFile>()
  const running = computed(() => [check, backup].find((j) => j.state.status === 'running') ?? null)
  const started = ref(0) // when the running (or last) job started, in ms

  // One at a time: while a job runs another is not started, and null says so.
  async function begin<T>(job: ReturnType<typeof useJob<T>>, kind: string, starter: () => Promise<string>): Promise<JobState<T> | null> {
    if (running.value) return null
    started.value = Date.now()
    return job.start(kind, starter)
  }

  const runCheck = () => begin(check, 'check', api.startWorkspaceCheck)
  const runBackup = (file: string) => begin(backup, 'backup', () => api.startWorkspaceBackup(file))

  return { check, backup, running, started, runCheck, runBackup }
})
