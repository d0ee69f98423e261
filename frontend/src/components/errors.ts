import { h } from 'vue'
import type { MessageApi } from 'naive-ui'
import { toAppError } from '../api/call'

// The message API is registered by the app shell once Naive UI's provider exists; errors raised
// before that are only logged.
let messages: MessageApi | null = null

export function registerMessages(m: MessageApi) {
  messages = m
}

// reportError shows any error in plain words, with where it happened when the backend knows.
export function reportError(err: unknown) {
  const { text } = toAppError(err)
  if (messages) messages.error(() => h('span', { 'data-testid': 'error-message' }, text), { duration: 8000, closable: true })
  else console.error(text)
}
