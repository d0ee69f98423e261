import { describe, expect, it } from 'vitest'
import { i18n } from '../langs'
import en from '../langs/en'
import { outcomeSentence, type Outcome } from './outcome'

const { t, te } = i18n.global
const say = (r: Outcome) => outcomeSentence(t, te, r)

describe('a run record\'s sentence', () => {
  it('is built from its reason code and values', () => {
    expect(say({ reason: 'changed', field: 'givenName', before: 'Ana', after: 'Anna', message: '' })).toBe('givenName: "Ana" → "Anna"')
    expect(say({ reason: 'changed', field: 'email', before: 'a@x.org', after: '', message: '' })).toBe('email: "a@x.org" → (blank)')
    expect(say({ reason: 'read_failed', field: 'beginDate', message: 'the date 1/05/2023 could be day/month or month/day' }))
      .toBe('the date 1/05/2023 could be day/month or month/day')
    expect(say({ reason: 'conflict_chose_external', field: 'email', before: 'a', after: '(deleted)', message: 'ana' }))
      .toBe('both changed email: roster "a", connection (deleted); kept the connection’s (chosen by ana)')
    expect(say({ reason: 'left_selection', field: '', message: '' })).toBe('no longer in the selection')
  })

  it('of a record logged before reasons were stored, or of a code this window does not know, is its message as it is', () => {
    expect(say({ field: 'givenName', message: '"Ana" → "Anna"' })).toBe('"Ana" → "Anna"')
    expect(say({ reason: 'from_the_future', field: '', message: 'as stored' })).toBe('as stored')
  })

  it('has a key for every reason code, each filled from the record\'s values', () => {
    for (const [code, text] of Object.entries(en.outcome.reason)) {
      const s = say({ reason: code, field: 'F', before: 'B', after: 'A', message: 'M' })
      expect(s, code).not.toMatch(/[{}]/)
      for (const [name, value] of [['field', 'F'], ['before', '"B"'], ['after', '"A"'], ['message', 'M']]) {
        if (text.includes(`{${name}}`)) expect(s, code).toContain(value)
      }
    }
  })
})
