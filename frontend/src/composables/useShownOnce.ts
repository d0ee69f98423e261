import { ref, watch, type Ref } from 'vue'

// useShownOnce is true from the first time shown() is: a dialog is created when first opened (each
// one hidden costs the first paint a few milliseconds) and then kept, so it still animates closing.
export function useShownOnce(shown: () => boolean): Ref<boolean> {
  const once = ref(shown())
  watch(shown, (v) => { if (v) once.value = true })
  return once
}
