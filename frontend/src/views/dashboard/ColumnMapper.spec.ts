import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../langs/en'

const previewSpreadsheet = vi.fn()
vi.mock('../../api', () => ({ api: { previewSpreadsheet } }))
const { default: ColumnMapper } = await import('./ColumnMapper.vue')

function mountMapper(columns: string) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } })
  return mount(ColumnMapper, {
    props: { path: '/lists/new.xlsx', sheet: '', headerRow: '2', entity: 'users', modelValue: columns },
    global: { plugins: [i18n] },
  })
}

describe('ColumnMapper', () => {
  it('previews the file, keeps the user\'s choices for headers still there and takes the guesses for the rest', async () => {
    previewSpreadsheet.mockResolvedValue({
      sheets: ['Students', 'Staff'], sheet: 'Students', headers: ['ID', 'First', 'Nickname'],
      rows: [['s1', 'Ana', 'Annie']], fields: ['sourcedId', 'givenName', 'preferredGivenName'],
      suggested: { ID: 'sourcedId', First: 'givenName' },
    })
    const w = mountMapper(JSON.stringify({ Nickname: 'preferredGivenName', Gone: 'email' }))
    await w.find('[data-testid="columns-preview"]').trigger('click')
    await flushPromises()
    expect(previewSpreadsheet).toHaveBeenCalledWith('/lists/new.xlsx', '', 2, 'users')
    const emitted = w.emitted('update:modelValue')!.at(-1)![0] as string
    expect(JSON.parse(emitted)).toEqual({ ID: 'sourcedId', First: 'givenName', Nickname: 'preferredGivenName' })
    expect(w.emitted('sheets')![0]).toEqual([['Students', 'Staff']])
    expect(w.find('[data-testid="columns-table"]').text()).toContain('Annie')
    expect(w.find('[data-testid="columns-note"]').exists()).toBe(false)
  })

  it('says when the file is read otherwise than its name suggests', async () => {
    previewSpreadsheet.mockResolvedValue({
      sheets: ['Sheet1'], sheet: 'Sheet1', headers: ['ID'], rows: [['s1']], fields: ['sourcedId'], suggested: {},
      note: 'class list.csv is an Excel workbook although its name ends in .csv, so Rosterdesk reads it as a workbook.',
    })
    const w = mountMapper('')
    await w.find('[data-testid="columns-preview"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="columns-note"]').text()).toContain('is an Excel workbook although its name ends in .csv')
  })

  it('shows why a file cannot be previewed', async () => {
    previewSpreadsheet.mockRejectedValue({ code: 'bad_input', message: 'Rosterdesk cannot open /lists/new.xlsx' })
    const w = mountMapper('')
    await w.find('[data-testid="columns-preview"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="columns-error"]').text()).toContain('cannot open')
  })
})
