import { describe, expect, it } from 'vitest'
import { choose, chosenIds, matches } from './pick'

const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }]

describe('pick', () => {
  it('choosing every listed row becomes all, so rows a later fetch adds go through too', () => {
    expect(choose({ all: false, ids: ['a'] }, rows, ['b', 'c'], true)).toEqual({ all: true, ids: [] })
  })

  it('unchoosing from all lists the rest', () => {
    expect(choose({ all: true, ids: [] }, rows, ['b'], false)).toEqual({ all: false, ids: ['a', 'c'] })
    expect(chosenIds({ all: true, ids: [] }, rows)).toEqual(new Set(['a', 'b', 'c']))
  })

  it('keeps ids not listed now, for when their school is chosen again', () => {
    expect(choose({ all: false, ids: ['gone', 'a'] }, rows, ['b'], true)).toEqual({ all: false, ids: ['a', 'b', 'gone'] })
  })

  it('searches every word typed, in any order and case', () => {
    expect(matches('lincoln high school org-12', 'High lincoln')).toBe(true)
    expect(matches('lincoln high school org-12', 'lincoln middle')).toBe(false)
    expect(matches('anything', '  ')).toBe(true)
  })
})
