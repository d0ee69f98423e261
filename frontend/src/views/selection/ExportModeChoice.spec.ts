import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Kind, Option } from '../../api/types'
import { card } from '../../testing/fixtures'

const option = (key: string): Option => ({ key, label: key, help: '', type: 'choice', required: false, default: '', choices: [], multiline: false, roles: [] })
const kinds: Kind[] = [
  { kind: 'oneroster-csv', label: 'OneRoster CSV', roles: ['source', 'target'], options: [option('path'), option('version'), option('mode')] },
  { kind: 'rest-push', label: 'REST API (push)', roles: ['target'], options: [option('baseUrl'), option('endpoints')] },
]
const api = vi.hoisted(() => ({ kinds: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))

const { mountInApp } = await import('../../testing/mountInApp')
const { useConnections } = await import('../../stores/connections')
const { default: ExportModeChoice } = await import('./ExportModeChoice.vue')

describe('the export mode choice', () => {
  it('a file target offers bulk or delta; an API target, always sent what changed, does not', async () => {
    setActivePinia(createPinia())
    api.kinds.mockResolvedValue(kinds)
    const file = { ...card, id: 1, role: 'target' }
    const push = { ...card, id: 2, kind: 'rest-push', kindLabel: 'REST API (push)', role: 'target' }
    const mount = async (connectionId: number) => {
      const w = mountInApp(ExportModeChoice, { connectionId, modelValue: 'bulk' })
      useConnections().cards = [file, push]
      await flushPromises()
      return w
    }
    expect((await mount(1)).find('[data-testid="export-mode"]').exists()).toBe(true)
    expect((await mount(2)).find('[data-testid="export-mode"]').exists()).toBe(false)
  })
})
