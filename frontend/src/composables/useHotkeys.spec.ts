import { describe, expect, it } from 'vitest'
import { NAV_KEYS, SHORTCUTS, keyName, type Screen } from './useHotkeys'
import en from '../langs/en'

// The screens' sources, to check each binds only keys Help lists for that screen.
const sources = import.meta.glob(['../components/AppShell.vue', '../views/**/*.vue'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>
const screenOf: Record<string, Screen> = {
  '../components/AppShell.vue': 'everywhere',
  '../views/roster/RosterView.vue': 'roster',
  '../views/conflicts/ConflictsView.vue': 'conflicts',
  '../views/duplicates/DuplicatesView.vue': 'duplicates',
  '../views/mapping/MappingView.vue': 'mapping',
  '../views/selection/SelectionWizard.vue': 'wizard',
  '../views/selection/PickList.vue': 'wizard',
}

// boundKeys are the keys written in a file's useHotkeys({ … }) calls.
function boundKeys(source: string): string[] {
  const keys: string[] = []
  for (const call of source.matchAll(/useHotkeys\(\{([\s\S]*?)\}\)\n/g)) {
    for (const m of call[1].matchAll(/(?:^|[\s{,])'?([a-z0-9+/]+)'?\s*:/g)) keys.push(m[1])
  }
  return keys
}

const message = (key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], en)

describe('the shortcuts Help lists', () => {
  it('are the keys each screen binds, and no others', () => {
    const binding = Object.keys(sources).filter((f) => sources[f].includes('useHotkeys('))
    expect(binding.sort()).toEqual(Object.keys(screenOf).sort())
    for (const [file, screen] of Object.entries(screenOf)) {
      const listed = Object.keys(SHORTCUTS[screen])
      for (const key of boundKeys(sources[file])) expect(listed, `${file} binds ${key}`).toContain(key)
    }
  })

  it('say what each does in words, and name the keys as the keyboard does', () => {
    for (const keys of Object.values(SHORTCUTS)) for (const does of Object.values(keys)) expect(typeof message(does), does).toBe('string')
    expect(Object.values(NAV_KEYS)).toHaveLength(9)
    expect(keyName('ctrl+1')).toBe('Ctrl+1')
    expect(keyName('arrowdown')).toBe('↓')
    expect(keyName('/')).toBe('/')
    expect(keyName('escape')).toBe('Esc')
  })
})
