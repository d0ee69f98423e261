import { shallowRef, watch, type Ref } from 'vue'

// useKept is what a dialog shows: content() while show() is true, then the last of it, so a dialog that
// closes because its subject was cleared keeps its words through its leave animation rather than
// fading out as an empty box. The modal unmounts its content once it has left.
export function useKept<T>(show: () => boolean, content: () => T): Readonly<Ref<T>> {
  const kept = shallowRef(content())
  watch(content, (v) => { if (show()) kept.value = v })
  return kept
}
