import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { useKept } from './useKept'

describe('useKept', () => {
  it('follows the content while shown and keeps the last of it once hidden', async () => {
    const subject = ref<string | null>(null)
    const kept = useKept(() => subject.value)
    expect(kept.value).toBe(null)
    subject.value = 'first'
    await nextTick()
    expect(kept.value).toBe('first')
    subject.value = 'second'
    await nextTick()
    expect(kept.value).toBe('second')
    subject.value = null // the dialog closes: it still says what it said
    await nextTick()
    expect(kept.value).toBe('second')
    subject.value = 'third'
    await nextTick()
    expect(kept.value).toBe('third')
  })

  it('keeps what was shown when the subject and the flag change together', async () => {
    const open = ref(true)
    const report = ref<string | null>('report')
    const kept = useKept(() => report.value, () => open.value)
    open.value = false
    report.value = null
    await nextTick()
    expect(kept.value).toBe('report')
  })
})
