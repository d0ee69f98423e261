import { h } from 'vue'
import { toAppError } from '../api/call'
import { useMessage } from './feedback'

// reportError shows any error in plain words, with where it happened when the backend knows.
export function reportError(err: unknown) {
  const { text } = toAppError(err)
  useMessage().error(() => h('span', { 'data-testid': 'error-message' }, text), { duration: 8000, closable: true })
}
