import type { DialogApi, MessageApi } from 'naive-ui'

// Messages and confirmation dialogs without Naive UI's providers in the window's tree (the first
// screen is drawn without Naive UI, ui/palette.ts): its discrete API, themed as the window, loaded on
// first use or when the window is idle after its first paint (preloadFeedback). A message or dialog
// asked for meanwhile shows once it has loaded.
type Apis = { message: MessageApi; dialog: DialogApi; unmount: () => void }
let apis: Promise<Apis> | null = null

export function preloadFeedback(): Promise<Apis> {
  apis ??= import('./feedbackApi').then((m) => m.create())
  return apis
}

// resetFeedback removes the messages and dialogs from the page; the next one starts afresh (the
// tests empty document.body between tests, and the discrete API with it).
export async function resetFeedback() {
  const was = apis
  apis = null
  if (was) (await was).unmount()
}

const use = (show: (a: Apis) => unknown) => {
  preloadFeedback().then(show).catch((e) => console.error(e))
}
type Args<K extends keyof MessageApi> = Parameters<MessageApi[K]>
const message = {
  success: (...a: Args<'success'>) => use((f) => f.message.success(...a)),
  info: (...a: Args<'info'>) => use((f) => f.message.info(...a)),
  warning: (...a: Args<'warning'>) => use((f) => f.message.warning(...a)),
  error: (...a: Args<'error'>) => use((f) => f.message.error(...a)),
}
const dialog = { warning: (...a: Parameters<DialogApi['warning']>) => use((f) => f.dialog.warning(...a)) }

// useMessage and useDialog stand in for Naive UI's, with what the app uses of them.
export const useMessage = () => message
export const useDialog = () => dialog
