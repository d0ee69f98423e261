// A pick is one list's part of a selection: every row (all), or the rows whose ids are listed.
export interface Pick {
  all: boolean
  ids: string[]
}

interface Row {
  id: string
}

export function chosenIds(p: Pick, rows: readonly Row[]): Set<string> {
  return new Set(p.all ? rows.map((r) => r.id) : p.ids)
}

// choose turns the ids given on or off. Choosing every listed row becomes "all", so that rows a later
// fetch adds are chosen too; ids not listed now (classes of a school not chosen at the moment) stay
// picked for when they are listed again.
export function choose(p: Pick, rows: readonly Row[], ids: readonly string[], on: boolean): Pick {
  const set = chosenIds(p, rows)
  for (const id of ids) {
    if (on) set.add(id)
    else set.delete(id)
  }
  if (rows.length > 0 && rows.every((r) => set.has(r.id))) return { all: true, ids: [] }
  return { all: false, ids: [...set].sort() }
}

// matches is the search of a pick list: every word typed must appear in the row's text.
export function matches(text: string, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return words.every((w) => text.includes(w))
}
