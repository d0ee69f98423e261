import { describe, expect, it } from 'vitest'
import { differ } from './diff'

describe('differ', () => {
  it.each([
    ['Marhta', 'Martha', ['Mar', 'ht', 'a'], ['Mar', 'th', 'a']],
    ['2011-03-04', '2011-04-03', ['2011-0', '3-04', ''], ['2011-0', '4-03', '']],
    ['Zoë', 'Zoe', ['Zo', 'ë', ''], ['Zo', 'e', '']],
    ['Acosta', 'Acosta', ['Acosta', '', ''], ['Acosta', '', '']],
    ['', 'theo@lakeview.example', ['', '', ''], ['', 'theo@lakeview.example', '']],
    ['aa', 'aaa', ['aa', '', ''], ['aa', 'a', '']],
  ])('%s / %s', (a, b, pa, pb) => {
    const [x, y] = differ(a, b)
    expect([x.head, x.middle, x.tail]).toEqual(pa)
    expect([y.head, y.middle, y.tail]).toEqual(pb)
    expect(x.head + x.middle + x.tail).toBe(a)
    expect(y.head + y.middle + y.tail).toBe(b)
  })
})
