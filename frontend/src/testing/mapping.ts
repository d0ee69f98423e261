import type { Mapping, MappingPreview, MappingTarget, MappingView } from '../api/types'

// Test data for the Mapping screen: a SIS API taking students, mapped the way the example is.
export const pushTarget: MappingTarget = {
  id: 5, name: 'Export to Acme SIS API', connectionId: 15, connectionName: 'Acme SIS API', own: true, direction: 'export', entities: ['users', 'classes'], problem: '',
}

// A source whose imports the registrar maps: its fields → roster fields.
export const sisSource: MappingTarget = {
  id: 2, name: 'Import from Springfield SIS', connectionId: 12, connectionName: 'Springfield SIS', own: true, direction: 'import', problem: '',
  entities: ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'roles', 'demographics', 'enrollments'],
}

export const usersMapping = (): Mapping => ({
  entity: 'users',
  fields: [
    { to: 'student_number', type: 'direct', from: 'identifier', key: true },
    { to: 'last_name', type: 'direct', from: 'familyName' },
    { to: 'gender', type: 'codes', from: 'demographics.sex', codes: { female: 'F', male: 'M' }, unmatched: 'default', default: 'U' },
    { to: 'email', type: 'none', from: 'email' },
  ],
})

export const mappingView = (patch: Partial<MappingView> = {}): MappingView => ({
  integrationId: 5, entity: 'users', mapping: usersMapping(), saved: true,
  readable: ['identifier', 'givenName', 'familyName', 'email', 'demographics.sex', 'school.name'],
  writable: [],
  helpers: [{ name: 'upper', signature: 'upper(text)', help: 'The text in capitals.', example: 'upper(familyName)' }],
  ...patch,
})

// importView is a source's users mapping: the default one, every writable field Direct from the same name.
export const importView = (): MappingView => {
  const writable = ['enabledUser', 'username', 'givenName', 'familyName', 'email', 'identifier', 'grades']
  return mappingView({
    integrationId: 2, saved: false, readable: writable, writable,
    mapping: { entity: 'users', import: true, fields: writable.map((f) => ({ to: f, type: 'direct', from: f })) },
  })
}

export const example = { id: 'usr-000042', label: 'Zoë Ñúñez' }

// previewOf maps the example record (Zoë Ñúñez, female) the way the backend would, for the fields given.
export function previewOf(m: Mapping): MappingPreview {
  const record: Record<string, string> = {
    identifier: 'S-42', familyName: 'Ñúñez', givenName: 'Zoë', 'demographics.sex': 'female', enabledUser: 'true', username: 'zoe.nunez', email: '', grades: '09',
  }
  const values = m.fields.filter((f) => f.type !== 'none').map((f) => {
    if (f.type === 'transformation') {
      const call = /^upper\((\w+)\)$/.exec(f.expr ?? '')
      return call && call[1] in record ? { to: f.to, value: record[call[1]].toUpperCase() } : { to: f.to, value: null, error: 'unknown name' }
    }
    const v = record[f.from ?? ''] ?? ''
    return { to: f.to, value: f.type === 'codes' ? (f.codes?.[v] ?? f.default ?? '') : v }
  })
  const payload = JSON.stringify(Object.fromEntries(values.map((v) => [v.to, v.value])), null, 2)
  if (m.import) return { recordId: example.id, values, failed: false, error: '', action: 'import', method: '', url: '', payload, problems: [] }
  return { recordId: example.id, values, failed: false, error: '', action: 'create', method: 'POST', url: 'http://127.0.0.1:8080/api/students', payload, problems: [] }
}
