// Parts is a value cut where it differs from another: what both start and end with, and the middle
// that differs (highlighted).
export interface Parts {
  head: string
  middle: string
  tail: string
}

// differ cuts a and b at their common start and end, so "Marhta" and "Martha" show "ht" and "th"
// as the difference. Values compared case by case, letters whole (é is one letter).
export function differ(a: string, b: string): [Parts, Parts] {
  const x = [...a]
  const y = [...b]
  let start = 0
  while (start < x.length && start < y.length && x[start] === y[start]) start++
  let end = 0
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++
  const cut = (s: string[]): Parts => ({ head: s.slice(0, start).join(''), middle: s.slice(start, s.length - end).join(''), tail: s.slice(s.length - end).join('') })
  return [cut(x), cut(y)]
}
