import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { ConnectionCard } from '../api'

const api = vi.hoisted(() => ({ connections: vi.fn(), workspace: vi.fn() }))
vi.mock('../api', () => ({ api }))
const { useConnections } = await import('./connections')

const card = { id: 1, name: 'District', kind: 'oneroster-csv', kindLabel: 'OneRoster CSV', role: 'source' } as ConnectionCard

describe('connections store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows the cards as soon as the list comes, before the workspace paths', async () => {
    let paths: (v: { path: string; logs: string }) => void = () => {}
    api.workspace.mockReturnValue(new Promise((resolve) => { paths = resolve }))
    api.connections.mockResolvedValue([card])
    const s = useConnections()
    const done = s.refresh()
    await vi.waitFor(() => expect(s.loaded).toBe(true))
    expect(s.cards.map((c) => c.name)).toEqual(['District'])
    expect(s.workspacePath).toBe('')
    paths({ path: '/w/workspace.db', logs: '/w/logs' })
    await done
    expect(s.workspacePath).toBe('/w/workspace.db')
    expect(s.logsPath).toBe('/w/logs')
  })

  it('fails with the list, leaving the window unloaded', async () => {
    api.workspace.mockResolvedValue({ path: '/w/workspace.db', logs: '/w/logs' })
    api.connections.mockRejectedValue(new Error('gone'))
    const s = useConnections()
    await expect(s.refresh()).rejects.toThrow('gone')
    expect(s.loaded).toBe(false)
  })
})
