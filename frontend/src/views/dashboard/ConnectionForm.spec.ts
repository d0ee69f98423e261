import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../langs/en'
import type { Kind } from '../../api/types'

vi.mock('../../api', () => ({ api: { chooseFile: vi.fn(), chooseFolder: vi.fn() } }))
const { default: ConnectionForm } = await import('./ConnectionForm.vue')

const kinds: Kind[] = [{
  kind: 'oneroster-csv', label: 'OneRoster CSV (ZIP or folder)', roles: ['source'],
  options: [
    { key: 'path', label: 'ZIP file or folder', help: 'The export', type: 'path', required: true, default: '', choices: null, roles: null },
    { key: 'version', label: 'Version', help: '', type: 'choice', required: false, default: '1.2', choices: ['1.1', '1.2'], roles: ['target'] },
  ],
}]

function mountForm() {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } })
  return mount(ConnectionForm, { props: { kinds }, global: { plugins: [i18n] } })
}

describe('ConnectionForm', () => {
  it('draws the fields the kind declares for the chosen role', () => {
    const w = mountForm()
    expect(w.find('[data-testid="conn-opt-path"]').exists()).toBe(true)
    expect(w.find('[data-testid="conn-opt-version"]').exists()).toBe(false) // a target-only option
    expect(w.text()).toContain('Browse file')
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
    expect(w.emitted('submit')?.[0]).toEqual([{ name: 'North SIS', kind: 'oneroster-csv', role: 'source', settings: { path: '/exports/north.zip' } }])
  })
})
