import { onBeforeUnmount, onMounted } from 'vue'

// useHotkeys binds keys like "ctrl+1" or "/" while the component is mounted. Plain keys are ignored
// while the user types in a field, so "/" can focus search without eating a typed slash.
export function useHotkeys(bindings: Record<string, (e: KeyboardEvent) => void>) {
  function onKey(e: KeyboardEvent) {
    const combo = [e.ctrlKey || e.metaKey ? 'ctrl' : '', e.altKey ? 'alt' : '', e.key.toLowerCase()].filter(Boolean).join('+')
    const handler = bindings[combo]
    if (!handler) return
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName))
    if (typing && !combo.includes('+')) return
    e.preventDefault()
    handler(e)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
