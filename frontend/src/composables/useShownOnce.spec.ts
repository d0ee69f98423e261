import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { useShownOnce } from './useShownOnce'

describe('useShownOnce', () => {
  it('turns true the first time it is shown and stays so', async () => {
    const open = ref(false)
    const once = useShownOnce(() => open.value)
    expect(once.value).toBe(false)
    open.value = true
    await nextTick()
    expect(once.value).toBe(true)
    open.value = false
    await nextTick()
    expect(once.value).toBe(true)
    expect(useShownOnce(() => true).value).toBe(true)
  })
})
