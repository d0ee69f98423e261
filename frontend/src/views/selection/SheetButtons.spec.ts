import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { SheetResult } from '../../api/types'
import { selection, view } from '../../testing/fixtures'
import '../../testing/layout'

const api = vi.hoisted(() => ({ selectionView: vi.fn(), previewSelection: vi.fn(), saveSelection: vi.fn(), downloadSheet: vi.fn(), readSheet: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), api }))

const { useSelection } = await import('../../stores/selection')
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: SheetButtons } = await import('./SheetButtons.vue')

const result = (patch: Partial<SheetResult> = {}): SheetResult => ({
  upload: { sheet: 'Classes', rows: 4, selected: ['cls-1'], findings: [] },
  before: 4, after: 1, added: [], removed: ['cls-2', 'cls-3', 'cls-4'], selection: selection({ classesAll: false, classes: ['cls-1'] }), ...patch,
})

let w: VueWrapper | null = null

// upload picks a file in the hidden file input, as the browser's file chooser would.
async function upload(name: string, text: string) {
  const input = w!.find('[data-testid="sheet-file"]')
  Object.defineProperty(input.element, 'files', { value: [new File([text], name)], configurable: true })
  await input.trigger('change')
  await vi.waitFor(() => expect(document.body.querySelector('[data-testid="sheet-review"]')).not.toBeNull())
  await flushPromises()
}

describe('uploading a selection spreadsheet', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    api.selectionView.mockReset().mockResolvedValue(view())
    api.saveSelection.mockReset().mockImplementation(async (_id: number, s) => view(s))
    api.readSheet.mockReset()
    await useSelection().open({ connectionId: 3, direction: 'import', integrationId: 7 })
    w = mountInApp(SheetButtons, { what: 'classes' })
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('lists the problems by row and offers nothing to apply', async () => {
    api.readSheet.mockResolvedValue(result({
      upload: { sheet: 'Classes', rows: 4, selected: [], findings: [{ row: 7, column: 'ID', message: 'No class has the ID "cls-999".' }] },
      before: 4, after: 4, removed: [],
    }))
    await upload('classes.xlsx', 'the bytes')
    expect(api.readSheet).toHaveBeenCalledWith(7, 'classes', selection(), 'classes.xlsx', btoa('the bytes'))
    const review = document.body.querySelector('[data-testid="sheet-review"]')!
    expect(review.textContent).toContain('classes.xlsx was not used')
    expect(review.textContent).toContain('Nothing was changed')
    await vi.waitFor(() => expect(document.body.querySelector('[data-testid="sheet-finding"]')).not.toBeNull())
    const row = document.body.querySelector('[data-testid="sheet-finding"]')!
    expect(row.textContent).toContain('7')
    expect(row.textContent).toContain('No class has the ID "cls-999".')
    expect(document.body.querySelector('[data-testid="sheet-replace"]')).toBeNull()
    clickInDialog('Close')
    await flushPromises()
    expect(api.saveSelection).not.toHaveBeenCalled()
  })

  it('shows the numbers before and after, and replaces the selection being edited only when confirmed, saving nothing', async () => {
    api.readSheet.mockResolvedValue(result())
    useSelection().change({ orgs: ['org-2'] }) // the upload is compared with what is being edited
    await upload('classes.csv', 'ID,sync\n')
    expect(api.readSheet).toHaveBeenCalledWith(7, 'classes', selection({ orgs: ['org-2'] }), 'classes.csv', btoa('ID,sync\n'))
    expect(document.body.querySelector('[data-testid="sheet-before"]')!.textContent).toBe('4')
    expect(document.body.querySelector('[data-testid="sheet-after"]')!.textContent).toBe('1')
    expect(document.body.textContent).toContain('cls-2, cls-3, cls-4')
    expect(api.saveSelection).not.toHaveBeenCalled()
    expect(useSelection().draft).toMatchObject({ classesAll: true })
    ;(document.body.querySelector('[data-testid="sheet-replace"]') as HTMLElement).click()
    await flushPromises()
    expect(useSelection().draft).toEqual(selection({ classesAll: false, classes: ['cls-1'] }))
    expect(useSelection().changed).toBe(true)
    expect(api.saveSelection).not.toHaveBeenCalled()
  })
})
