import type { HTMLAttributes } from 'vue'

// openableRow makes a table row that opens something on click reachable from the keyboard too: it
// takes the focus with Tab, and Enter or Space open it as a click does. Keys pressed on a button
// inside the row are that button's.
export function openableRow(open: () => unknown, attrs: Record<string, unknown> = {}): HTMLAttributes {
  return {
    ...attrs,
    tabindex: 0,
    class: 'openable-row',
    onClick: open,
    onKeydown: (e: KeyboardEvent) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget) {
        e.preventDefault()
        open()
      }
    },
  } as HTMLAttributes
}
