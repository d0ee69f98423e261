import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from './en'
import { compileMessages } from './compile'

describe('compileMessages', () => {
  it('gives vue-i18n what it shows without compiling: every English message reads as before', () => {
    const global = (messages: object) => createI18n({ legacy: false, locale: 'en', messages: { en: messages as Record<string, string> } }).global
    const plain = global(en)
    const built = global(compileMessages(en, 'en.ts'))
    const named = { n: 3, name: 'District', when: 'today', id: 7, what: 'users', count: 2, total: 5 }
    const keys = (o: object, at = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [at + k] : keys(v, `${at}${k}.`)))
    for (const key of keys(en)) {
      expect(built.tm(key), key).toMatchObject({ t: 0 }) // a compiled message: the built app has no compiler
      expect(built.te(key), key).toBe(true)
      for (const n of [0, 1, 5]) expect(built.t(key, { ...named, n }, n), key).toBe(plain.t(key, { ...named, n }, n))
    }
  })

  it('stops the build at a message vue-i18n could not read, naming it', () => {
    expect(() => compileMessages({ ok: 'Fine', card: { title: 'Open {name' } }, 'langs/en.ts'))
      .toThrow(/langs\/en\.ts: the message card\.title cannot be read .*"Open \{name"/)
  })
})
