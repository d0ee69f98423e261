import type { ChooseQuery, Chosen, Conflict, ConnectionCard, DuplicatePair, MergeView, OrgRow, PickPage, RecordView, Run, Selection, SelectionView } from '../api/types'

// Test data for the wizard's specs: a district with three schools.
const org = (id: string, name: string, type = 'school'): OrgRow =>
  ({ id, name, type, identifier: '', parent: 'Springfield District', classes: 4, users: 40, selected: false, covered: false })

export const selection = (patch: Partial<Selection> = {}): Selection => ({
  saved: true, orgsAll: false, orgs: [], classesAll: true, classes: null, statuses: ['active'], withoutEnrollments: false,
  guardians: true, holdDelete: 10, holdChange: 75, ...patch,
})

export const view = (sel = selection()): SelectionView => ({
  integration: { id: 7, name: 'Import from SIS', connectionId: 3, connectionName: 'SIS' },
  selection: sel,
  from: 'the fetch of 2025-01-01',
  users: [{ status: 'active', role: 'student', count: 40 }],
  totals: { orgs: 1 },
  guardians: 0,
})

// The schools of the district, as a page of the schools step lists them for a selection.
export const schools = [org('org-1', 'Lincoln Elementary'), org('org-2', 'Lincoln High'), org('org-3', 'Washington Middle')]
export const orgPage = (sel: Selection, rows = schools): PickPage => {
  const ticked = rows.map((r) => ({ ...r, selected: sel.orgsAll || (sel.orgs ?? []).includes(r.id) }))
  return { orgs: ticked, classes: [], matched: rows.length, listed: schools.length, chosen: ticked.filter((r) => r.selected).length }
}

// fakeChoose is the backend's Choose over the schools: ticking every school is "all".
export const fakeChoose = (sel: Selection, q: ChooseQuery): Chosen => {
  const shown = schools.filter((r) => !q.search || r.name.toLowerCase().includes(q.search.toLowerCase()))
  const set = new Set(sel.orgsAll ? schools.map((r) => r.id) : sel.orgs ?? [])
  for (const id of q.ids.length ? q.ids : shown.map((r) => r.id)) {
    if (q.on) set.add(id)
    else set.delete(id)
  }
  const all = schools.every((r) => set.has(r.id))
  const next = { ...sel, saved: true, orgsAll: all, orgs: all ? [] : [...set].sort() }
  return { selection: next, page: orgPage(next, shown), split: [], instead: 0, unticked: [] }
}

export const heldRun: Run = {
  run: 9, connectionId: 1, connection: 'Springfield SIS', direction: 'import', mode: 'selective', operator: 'registrar', status: 'held',
  startedAt: '2025-01-01T10:00:00Z', finishedAt: '2025-01-01T10:00:05Z', counts: { users: { created: 0, updated: 0, deleted: 360, unchanged: 40, failed: 0, skipped: 360 } },
  message: 'Held for review: this run would delete 360 of the 400 users in the roster (90 %), more than the 10 % allowed.',
}

export const card: ConnectionCard = {
  id: 1, name: 'Springfield SIS', kind: 'oneroster-csv', kindLabel: 'OneRoster CSV', role: 'source', settings: {}, createdAt: '', lastFetch: '',
  lastRun: null, lastTest: { at: '', ok: true, message: '' }, canFetchChanges: false,
}

// A user two sources spell differently: the first source's family name is kept.
export const conflict: Conflict = {
  entity: 'users', record: 'usr-000001', field: 'familyName', kept: 'Springfield SIS', keptValue: 'Acosta',
  values: [{ connection: 'Springfield SIS', sourcedId: 'usr-000001', value: 'Acosta' }, { connection: 'District API', sourcedId: 'usr-000001', value: 'Acosta-Ruiz' }],
}

export const record: RecordView = {
  entity: 'users', id: 'usr-000001', status: 'active', dateLastModified: '2025-01-02T08:00:00Z',
  fields: [
    { name: 'sourcedId', value: 'usr-000001', from: '' },
    { name: 'givenName', value: 'Theo', from: 'District API' },
    { name: 'familyName', value: 'Acosta', from: 'Springfield SIS' },
    { name: 'middleName', value: '', from: '' },
  ],
  metadata: [{ name: 'metadata.lunch', value: 'free', from: 'District API' }],
  origins: [
    { connectionId: 1, connection: 'Springfield SIS', sourcedId: 'usr-000001', live: true, precedence: 1 },
    { connectionId: 2, connection: 'District API', sourcedId: 'usr-000001', live: true, precedence: 2 },
    { connectionId: 3, connection: 'Old export', sourcedId: 'S-77', live: false, precedence: 3 },
  ],
  conflicts: [conflict],
  runs: [{ run: 12, startedAt: '2025-01-02T08:00:00Z', connection: 'District API', direction: 'import', action: 'update', status: 'ok', field: 'givenName', message: 'Ted → Theo' }],
}

// A pair of the duplicates queue: one student twice, the nickname in the second record.
export const duplicatePair = (n: number, patch: Partial<DuplicatePair> = {}): DuplicatePair => ({
  pair: n, domain: 'name and birth date', score: 0.9, left: `usr-${n}a`, right: `usr-${n}b`, status: 'pending', unattended: false,
  evidence: [
    { field: 'givenName', left: 'Theodore', right: 'Teddy', similarity: 0.62, level: 'similar', note: 'nickname', weight: 2 },
    { field: 'birthDate', left: '2011-03-04', right: '2011-04-03', similarity: 0.9, level: 'similar', note: 'day and month transposed', weight: 3 },
    { field: 'familyName', left: 'Acosta', right: 'Acosta', similarity: 1, level: 'same', note: '', weight: 4 },
  ],
  school: 'org-1', schoolName: 'Lakeview Middle School', leftName: 'Theodore Acosta', rightName: 'Teddy Acosta', foundAt: '2025-01-02T08:00:00Z',
  decidedRun: 0, primary: '', ...patch,
})

// The side-by-side merge of pair 1 with the records in the order given (the primary first): the older
// record lacks an email, the newer one spells the given name otherwise.
export function mergeView(records = ['usr-1a', 'usr-1b']): MergeView {
  const field = (name: string, a: string, b: string) => {
    const values = records.map((r) => (r === 'usr-1a' ? a : r === 'usr-1b' ? b : ''))
    const filled = values.filter((v) => v !== '')
    return { name, values, differ: new Set(filled).size > 1, default: values[0] !== '' ? 0 : Math.max(0, values.findIndex((v) => v !== '')) }
  }
  return {
    pair: duplicatePair(1), records, names: records.map((r) => (r === 'usr-1b' ? 'Teddy Acosta' : 'Theodore Acosta')), sources: records.map(() => ['Springfield SIS']),
    fields: [field('givenName', 'Theodore', 'Teddy'), field('familyName', 'Acosta', 'Acosta'), field('email', '', 'theo@lakeview.example'), field('password', '(hidden)', '(hidden)'), field('middleName', '', '')],
    moves: records.slice(1).map((r) => ({ entity: 'enrollments', sourcedId: `enr-${r}`, from: r, description: 'student in Mathematics 6 – Section 3' })),
  }
}
