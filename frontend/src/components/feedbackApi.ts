import { createDiscreteApi } from 'naive-ui'
import { naiveTheme } from './ui/palette'

// The discrete API in a chunk of its own (feedback.ts loads it): messages at the top, dialogs.
export function create() {
  const { message, dialog, unmount } = createDiscreteApi(['message', 'dialog'], { configProviderProps: naiveTheme })
  return { message, dialog, unmount }
}
