import { shallowRef, watch, type Ref } from 'vue'

// useKept is what a dialog shows: content() while show() is true (by default, while content() has a
// value), then the last of it, so a dialog that closes because its subject was cleared keeps its words
// through its leave animation rather than fading out as an empty box. The modal unmounts its content
// once it has left; a leaving dialog takes no clicks (style.css).
export function useKept<T>(content: () => T, show: () => boolean = () => content() != null): Readonly<Ref<T>> {
  const kept = shallowRef(content())
  watch(content, (v) => { if (show()) kept.value = v })
  return kept
}
