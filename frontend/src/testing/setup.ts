import { beforeEach } from 'vitest'
import { preloadFeedback, resetFeedback } from '../components/feedback'

// Messages and dialogs load their script on first use in the window (components/feedback.ts); a test
// has it loaded already, so what a click shows is there once its promises have settled, and starts
// with none shown (tests empty document.body between them).
beforeEach(async () => {
  await resetFeedback()
  await preloadFeedback()
})
