import { onBeforeUnmount, onMounted } from 'vue'
import type { View } from '../stores/nav'

// NAV_KEYS are the keys going to each view (each keeps the number it had when added).
export const NAV_KEYS = {
  'ctrl+1': 'dashboard', 'ctrl+2': 'roster', 'ctrl+3': 'history', 'ctrl+4': 'conflicts', 'ctrl+5': 'settings', 'ctrl+6': 'duplicates', 'ctrl+7': 'mapping', 'ctrl+8': 'integrations', 'ctrl+9': 'verify',
} as const satisfies Record<string, View>

// SHORTCUTS are every key the window answers, by where it works, with what it does (a message key).
// useHotkeys binds only keys listed here and Help lists this table, so the two cannot drift apart.
export const SHORTCUTS = {
  everywhere: {
    ...(Object.fromEntries(Object.entries(NAV_KEYS).map(([k, v]) => [k, `nav.${v}`])) as { [K in keyof typeof NAV_KEYS]: string }),
    f1: 'help.keys.help',
  },
  roster: { '/': 'help.keys.search' },
  conflicts: { '/': 'help.keys.search' },
  duplicates: {
    j: 'help.keys.nextPair', arrowdown: 'help.keys.nextPair', k: 'help.keys.previousPair', arrowup: 'help.keys.previousPair',
    m: 'help.keys.merge', n: 'help.keys.notDuplicate', u: 'help.keys.undo', '/': 'help.keys.search',
  },
  mapping: { 'ctrl+s': 'help.keys.save' },
  wizard: { enter: 'help.keys.next', escape: 'help.keys.close', '/': 'help.keys.search', 'ctrl+f': 'help.keys.search' },
} as const

type Table = typeof SHORTCUTS
export type Screen = keyof Table
export type Shortcut = { [S in Screen]: keyof Table[S] }[Screen]

// keyName writes a key as the keyboard shows it: "ctrl+1" → "Ctrl+1", "arrowdown" → "↓".
const names: Record<string, string> = { ctrl: 'Ctrl', alt: 'Alt', escape: 'Esc', enter: 'Enter', arrowdown: '↓', arrowup: '↑', f1: 'F1' }
export const keyName = (key: string) => key.split('+').map((k) => names[k] ?? k.toUpperCase()).join('+')

// useHotkeys binds keys like "ctrl+1" or "/" while the component is mounted. Plain keys are ignored
// while the user types in a field, so "/" can focus search without eating a typed slash.
export function useHotkeys(bindings: Partial<Record<Shortcut, (e: KeyboardEvent) => void>>) {
  function onKey(e: KeyboardEvent) {
    const combo = [e.ctrlKey || e.metaKey ? 'ctrl' : '', e.altKey ? 'alt' : '', e.key.toLowerCase()].filter(Boolean).join('+')
    const handler = bindings[combo as Shortcut]
    if (!handler) return
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName))
    // Function keys (F1: Help) are no text: they work in fields too.
    if (typing && !combo.includes('+') && !/^f\d+$/.test(combo)) return
    e.preventDefault()
    handler(e)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
