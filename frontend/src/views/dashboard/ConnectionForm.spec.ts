import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../langs/en'
import type { ConnectionCard, Kind } from '../../api/types'

vi.mock('../../api', () => ({ api: { chooseFile: vi.fn(), chooseFolder: vi.fn() } }))
const { default: ConnectionForm } = await import('./ConnectionForm.vue')

const kinds: Kind[] = [{
  kind: 'oneroster-csv', label: 'OneRoster CSV (ZIP or folder)', roles: ['source', 'target'],
  options: [
    { key: 'path', label: 'ZIP file or folder', help: 'The export', type: 'path', required: true, default: '', choices: null, multiline: false, roles: null },
    { key: 'version', label: 'Version', help: '', type: 'choice', required: false, default: '1.2', choices: ['1.1', '1.2'], multiline: false, roles: ['target'] },
    // As connector.IDsOption declares it for every source kind.
    { key: 'ids', label: 'Record IDs', help: 'shared: a record with the same sourcedId as one another source sent is the same record (two feeds of one SIS). own: this system numbers its records its own way; they meet other sources\' records only when duplicates are merged.',
      type: 'choice', required: false, default: 'shared', choices: ['shared', 'own'], multiline: false, roles: ['source', 'both'] },
  ],
}, {
  kind: 'oneroster-sftp', label: 'OneRoster on an SFTP server', roles: ['source'],
  options: [
    { key: 'host', label: 'Server', help: '', type: 'text', required: true, default: '', choices: null, multiline: false, roles: null },
    { key: 'password', label: 'Password', help: '', type: 'secret', required: false, default: '', choices: null, multiline: false, roles: null },
    { key: 'privateKey', label: 'Private key', help: '', type: 'secret', required: false, default: '', choices: null, multiline: true, roles: null },
  ],
}]

const card: ConnectionCard = {
  id: 7, name: 'Drop', kind: 'oneroster-sftp', kindLabel: 'OneRoster on an SFTP server', role: 'source', settings: { host: 'sftp.example' },
  createdAt: '', lastFetch: '', lastRun: null, lastTest: { at: '', ok: false, message: '' }, canFetchChanges: false,
}

function mountForm(props: { card?: ConnectionCard; stored?: string[]; secretsWhere?: string } = {}) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } })
  return mount(ConnectionForm, { props: { kinds, ...props }, global: { plugins: [i18n] } })
}

describe('ConnectionForm', () => {
  it('draws the fields the kind declares for the chosen role', () => {
    const w = mountForm()
    expect(w.find('[data-testid="conn-opt-path"]').exists()).toBe(true)
    expect(w.find('[data-testid="conn-opt-version"]').exists()).toBe(false) // a target-only option
    expect(w.text()).toContain('Browse file')
  })

  it('asks for the role of a kind with several, the first by default, and shows the options of that role', () => {
    const w = mountForm()
    expect(w.find('[data-testid="conn-role"]').text()).toContain('Source')
    const target = mountForm({ card: { ...card, kind: 'oneroster-csv', role: 'target', settings: { path: '/drops' } } })
    expect(target.find('[data-testid="conn-opt-version"]').exists()).toBe(true)
    expect(mountForm({ card }).find('[data-testid="conn-role"]').exists()).toBe(false) // an SFTP source here has one role
  })

  it('refuses to submit without the required values and says which', async () => {
    const w = mountForm()
    await w.find('[data-testid="conn-submit"]').trigger('click')
    expect(w.emitted('submit')).toBeUndefined()
    expect(w.text()).toContain('Name is required')
    expect(w.text()).toContain('ZIP file or folder is required')
  })

  it('submits the name, kind, role and settings', async () => {
    const w = mountForm()
    await w.find('[data-testid="conn-name"] input').setValue('  North SIS ')
    await w.find('[data-testid="conn-opt-path"] input').setValue('/exports/north.zip')
    await w.find('[data-testid="conn-submit"]').trigger('click')
    expect(w.emitted('submit')?.[0]).toEqual([{ name: 'North SIS', kind: 'oneroster-csv', role: 'source', settings: { path: '/exports/north.zip', ids: 'shared' }, secrets: {} }])
  })

  it('shows a source how its record IDs meet the other sources\' in one sentence, shared by default', () => {
    const w = mountForm()
    const ids = w.find('[data-testid="conn-opt-ids"]')
    expect(ids.text()).toContain('shared')
    const item = ids.element.closest('.n-form-item')!
    expect(item.textContent).toContain('Record IDs')
    expect(item.querySelector('.n-form-item-feedback')?.textContent).toContain('own: this system numbers its records its own way')
    // A target has no such setting.
    const target = mountForm({ card: { ...card, kind: 'oneroster-csv', role: 'target', settings: { path: '/drops' } } })
    expect(target.find('[data-testid="conn-opt-ids"]').exists()).toBe(false)
  })

  it('edits a connection: settings filled in, name and kind fixed, a stored secret kept unless retyped', async () => {
    const w = mountForm({ card, stored: ['password'], secretsWhere: 'the system keychain' })
    expect((w.find('[data-testid="conn-opt-host"] input').element as HTMLInputElement).value).toBe('sftp.example')
    expect(w.find('[data-testid="conn-name"] input').attributes('disabled')).toBeDefined()
    expect(w.find('[data-testid="conn-opt-password"] input').attributes('type')).toBe('password')
    expect(w.find('[data-testid="conn-opt-password"] input').attributes('placeholder')).toContain('Stored')
    expect(w.find('[data-testid="conn-opt-privateKey"] textarea').exists()).toBe(true)
    expect(w.find('[data-testid="conn-secrets-where"]').text()).toContain('the system keychain')
    await w.find('[data-testid="conn-opt-host"] input').setValue('sftp2.example')
    await w.find('[data-testid="conn-submit"]').trigger('click')
    expect(w.emitted('submit')?.[0]).toEqual([{ name: 'Drop', kind: 'oneroster-sftp', role: 'source', settings: { host: 'sftp2.example' },
      secrets: { password: '', privateKey: '' } }])
  })
})
