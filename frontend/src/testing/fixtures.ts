import type { Conflict, ConnectionCard, OrgRow, RecordView, Run, Selection, SelectionView } from '../api/types'

// Test data for the wizard's specs: a district with three schools.
const org = (id: string, name: string, type = 'school'): OrgRow =>
  ({ id, name, type, identifier: '', parent: 'Springfield District', classes: 4, users: 40, selected: false })

export const selection = (patch: Partial<Selection> = {}): Selection => ({
  saved: true, orgsAll: false, orgs: [], classesAll: true, classes: null, statuses: ['active'], withoutEnrollments: false,
  holdDelete: 10, holdChange: 75, ...patch,
})

export const view = (sel = selection()): SelectionView => ({
  selection: sel,
  from: 'the fetch of 2025-01-01',
  orgs: [org('org-1', 'Lincoln Elementary'), org('org-2', 'Lincoln High'), org('org-3', 'Washington Middle')],
  classes: [],
  users: [{ status: 'active', role: 'student', count: 40 }],
  totals: { orgs: 1 },
})

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
