import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { example, importView, mappingView, previewOf, pushTarget, sisSource } from '../testing/mapping'
import type { Mapping } from '../api/types'

const api = vi.hoisted(() => ({
  mappingTargets: vi.fn(), mapping: vi.fn(), checkMapping: vi.fn(), saveMapping: vi.fn(), resetMapping: vi.fn(), mappingExamples: vi.fn(),
  previewMapping: vi.fn(), saveCodes: vi.fn(), loadCodes: vi.fn(), sendTestRecord: vi.fn(),
}))
vi.mock('../api', () => ({ api }))

const { useMapping, EDIT_MS } = await import('./mapping')

async function opened() {
  const store = useMapping()
  await store.loadTargets()
  await store.open(pushTarget.id, 'users')
  await store.pickExample(example)
  return store
}

describe('mapping store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
    Object.values(api).forEach((f) => f.mockReset())
    api.mappingTargets.mockResolvedValue([pushTarget])
    api.mapping.mockResolvedValue(mappingView())
    api.checkMapping.mockResolvedValue([])
    api.previewMapping.mockImplementation(async (_id: number, m: Mapping) => previewOf(m))
  })
  afterEach(() => vi.useRealTimers())

  it('an edit is checked and previewed again once typing settles, with the mapping as edited', async () => {
    const store = await opened()
    api.previewMapping.mockClear()
    store.edit(1, { type: 'transformation', expr: 'upper(familyName)' })
    expect(store.changed).toBe(true)
    await vi.advanceTimersByTimeAsync(EDIT_MS - 1)
    expect(api.previewMapping).not.toHaveBeenCalled() // still typing
    await vi.advanceTimersByTimeAsync(1)
    expect(api.previewMapping).toHaveBeenCalledTimes(1)
    const sent = api.previewMapping.mock.calls[0][1] as Mapping
    expect(sent.fields[1]).toEqual({ to: 'last_name', type: 'transformation', from: 'familyName', expr: 'upper(familyName)' })
    expect(api.checkMapping).toHaveBeenLastCalledWith(sent)
    expect(store.preview!.values!.find((v) => v.to === 'last_name')!.value).toBe('ÑÚÑEZ')
  })

  it('the answer to an earlier preview arriving late is dropped', async () => {
    const store = await opened()
    let late = (_: unknown) => {}
    api.previewMapping.mockImplementationOnce((_id: number, m: Mapping) => new Promise((ok) => (late = () => ok(previewOf(m)))))
    store.edit(1, { to: 'surname' })
    await vi.advanceTimersByTimeAsync(EDIT_MS)
    store.edit(1, { to: 'family' })
    await vi.advanceTimersByTimeAsync(EDIT_MS)
    late(null)
    await vi.advanceTimersByTimeAsync(0)
    expect(store.preview!.values!.map((v) => v.to)).toContain('family')
    expect(store.preview!.values!.map((v) => v.to)).not.toContain('surname')
  })

  it('sends the code table as an object in the rows\' order, without rows left empty, and overwrite only when off', async () => {
    const store = await opened()
    store.edit(2, { codes: [{ from: 'male', to: 'M' }, { from: '', to: '' }, { from: 'female', to: 'F' }, { from: 'X', to: 'X' }] })
    store.edit(0, { overwrite: false })
    store.edit(1, { overwrite: null })
    const m = store.mapping()
    expect(Object.entries(m.fields[2].codes!)).toEqual([['male', 'M'], ['female', 'F'], ['X', 'X']])
    expect(m.fields[0].overwrite).toBe(false)
    expect('overwrite' in m.fields[1]).toBe(false)
  })

  it('keeps the mapping\'s condition: saved as it was, and an edit of it is a change', async () => {
    api.mapping.mockResolvedValue(mappingView({ mapping: { ...mappingView().mapping, only: 'role == "student"' } }))
    const store = await opened()
    expect(store.changed).toBe(false)
    store.edit(1, { to: 'surname' })
    api.saveMapping.mockResolvedValue(undefined)
    await store.save()
    expect(api.saveMapping.mock.calls[0][1]).toMatchObject({ only: 'role == "student"' })
    store.setOnly('role == "teacher"')
    expect(store.changed).toBe(true)
  })

  it('one field is the key: marking another unmarks the first', async () => {
    const store = await opened()
    store.edit(1, { key: true })
    expect(store.fields.map((f) => f.key === true)).toEqual([false, true, false, false])
  })

  it('moving fields and changing them back is no change', async () => {
    const store = await opened()
    store.move(0, 1)
    expect(store.fields.map((f) => f.to).slice(0, 2)).toEqual(['last_name', 'student_number'])
    expect(store.changed).toBe(true)
    store.move(1, -1)
    expect(store.changed).toBe(false)
  })

  it('a refused save keeps the edits, shows the problems found, and says why', async () => {
    const store = await opened()
    store.edit(1, { type: 'transformation', expr: 'upper(familyNme)' })
    const problem = { field: 1, to: 'last_name', line: 1, column: 7, message: 'unknown name familyNme' }
    api.saveMapping.mockRejectedValue({ code: 'invalid', message: 'The mapping has 1 problem.', details: null })
    api.checkMapping.mockResolvedValue([problem])
    await expect(store.save()).rejects.toMatchObject({ code: 'invalid' })
    expect(store.problems).toEqual([problem])
    expect(store.changed).toBe(true)
    expect(store.view!.mapping.fields[1].type).toBe('direct')
  })

  it('a test record goes only with the mapping saved, without edits beside it, and an example picked', async () => {
    const store = await opened()
    expect(store.canSend).toBe(true)
    store.edit(1, { to: 'surname' })
    expect(store.canSend).toBe(false)
    api.saveMapping.mockResolvedValue(undefined)
    await store.save()
    expect(store.canSend).toBe(true)
    await store.pickExample(null)
    expect(store.canSend).toBe(false)

    api.mapping.mockResolvedValue(mappingView({ saved: false })) // the default, never saved
    await store.open(pushTarget.id, 'users')
    await store.pickExample(example)
    expect(store.canSend).toBe(false)
  })

  it('an import mapping goes back as one, with no condition, after a reset too, and never as a test record', async () => {
    api.mappingTargets.mockResolvedValue([pushTarget, sisSource])
    api.mapping.mockResolvedValue({ ...importView(), saved: true })
    const store = useMapping()
    await store.loadTargets()
    await store.open(sisSource.id, 'users')
    await store.pickExample(example)
    expect(store.importing).toBe(true)
    expect(store.canSend).toBe(false)
    store.setOnly('role == "student"') // left from an export mapping: an import has no condition
    store.edit(0, { overwrite: false })
    api.saveMapping.mockResolvedValue(undefined)
    await store.save()
    const saved = api.saveMapping.mock.calls[0][1] as Mapping
    expect(saved).toMatchObject({ entity: 'users', import: true })
    expect(saved.only).toBeUndefined()
    expect(saved.fields[0]).toEqual({ to: 'enabledUser', type: 'direct', from: 'enabledUser', overwrite: false })

    api.resetMapping.mockResolvedValue(importView())
    await store.reset()
    expect(store.mapping().import).toBe(true)
  })
})
