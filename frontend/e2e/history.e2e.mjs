// History in the real app (see harness.mjs): a workspace prepared with the CLI (an import by hand, the
// same import run by its schedule through a named integration, then one held for review after the
// selection shrank to one school). History names the integration and marks the scheduled run; an
// opened run filters its records by entity, action and status and searches an ID; its report downloads
// as a PDF that reads back (pdftotext) with its summary and page numbers; Clear history asks first,
// naming what goes and what stays, and leaves one line saying who cleared it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible, closingText } from './harness.mjs'

let dir, app, page, shot, pageErrors
const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10)

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '150', '--seed', '7')
  cli(dir, 'connection', 'add', 'SIS', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli(dir, 'import', 'SIS')
  cli(dir, 'integration', 'add', 'Nightly SIS import', '--type', 'import', '--source', 'SIS', '--schedule', 'daily 02:00')
  cli(dir, 'schedule', 'run-due', '--now', `${tomorrow} 02:30`)
  cli(dir, 'select', 'SIS', 'orgs', '--ids', 'org-0001')
  try {
    cli(dir, 'import', 'SIS')
    assert.fail('the import of one school was not held')
  } catch (e) {
    assert.equal(e.status, 3, 'a held import exits 3')
  }
  app = await startApp(dir)
  ;({ page, shot, pageErrors } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const rows = () => page.getByTestId('history-row')
const drawer = () => page.locator('.n-drawer')

test('History names the integration of a run and marks the run its schedule started', async () => {
  await page.getByTestId('nav-history').click()
  await rows().nth(2).waitFor()
  assert.equal(await rows().count(), 3)
  const scheduled = rows().filter({ has: page.getByTestId('history-scheduled') })
  assert.equal(await scheduled.count(), 1, 'one run was started by the schedule')
  assert.match(await scheduled.innerText(), /SIS\s+Nightly SIS import\s+Import/)
  assert.match(await scheduled.getByTestId('history-scheduled').innerText(), /Scheduled/)
  await accessible(page, 'History with a scheduled run')
  await shot('history-01-list')
})

test('an opened run filters its records by status and action and searches an ID; its PDF report reads back', async () => {
  const held = rows().filter({ hasText: 'held for review' })
  await held.click()
  await drawer().getByTestId('record-row').first().waitFor()
  const title = await drawer().locator('.n-drawer-header').innerText()
  const run = Number(title.match(/Run (\d+)/)[1])
  const total = async () => Number((await drawer().getByTestId('records-total').innerText()).replace(/[^\d]/g, ''))
  const all = await total()
  assert.ok(all > 100, `the held run logs its planned deletions: ${all}`)

  // The filters offer what the log has: here every record is a planned deletion.
  await drawer().getByTestId('records-status').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^succeeded$/ }).click()
  await drawer().getByTestId('records-action').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^delete$/ }).click()
  await drawer().getByTestId('records-entity').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Users$/ }).click()
  await page.waitForFunction((n) => {
    const shown = Number(document.querySelector('[data-testid="records-total"]').textContent.replace(/[^\d]/g, ''))
    return shown > 0 && shown < n
  }, all)
  // An ID on the last page of the log is found without paging to it.
  await drawer().getByTestId('records-search').locator('input').fill('usr-000127')
  await drawer().getByTestId('records-total').filter({ hasText: /^1 record$/ }).waitFor()
  assert.match(await drawer().getByTestId('record-row').innerText(), /usr-000127\s+delete\s+dateLastModified\s+no longer in the selection/)
  await accessible(page, 'an opened run, its records filtered')
  await shot('history-02-run-records')

  await drawer().getByTestId('log-pdf').click()
  const path = await drawer().getByTestId('saved-path').innerText()
  assert.ok(path.startsWith(app.downloads) && path.endsWith('.pdf') && existsSync(path), path)
  const pages = execFileSync('pdftotext', ['-layout', path, '-']).toString().replace(/\f$/, '').split('\f')
  assert.ok(pages.length > 2, `${pages.length} pages`)
  assert.match(pages[0], new RegExp(`Run ${run}: Import of SIS`))
  assert.match(pages[0], /Result\s+Held\. Held for review: this run would delete/)
  assert.match(pages[0], /enrollments\s+0\s+0\s+\d+\s+\d+\s+0\s+0/)
  pages.forEach((p, i) => {
    assert.match(p, new RegExp(`Page ${i + 1} of ${pages.length}`))
    assert.match(p, /Record ID\s+Action\s+Field\s+Details/, `page ${i + 1} repeats the table's header`)
  })
  assert.match(pages.join(''), /usr-000127\s+delete\s+dateLastModified\s+no longer in the selection/)
  const shown = await drawer().innerText()
  assert.deepEqual(await closingText(page, '.n-drawer'), { text: shown, clickable: false, focused: false }, 'the drawer keeps the run while it slides out, and takes no more clicks or keys')
  await drawer().waitFor({ state: 'detached' })
})

test('Clear history asks first, naming what goes and what stays, then leaves one line saying who cleared it', async () => {
  await page.getByTestId('history-clear').click()
  const confirm = page.getByRole('dialog').filter({ hasText: 'Clear the history?' })
  await confirm.waitFor()
  assert.match(await confirm.innerText(), /The 2 runs in the history and their records are deleted for good\. One run still running or held for review stays\./)
  await accessible(page, 'the Clear history confirmation')
  await shot('history-03-clear-confirm')
  await confirm.getByRole('button', { name: 'Keep the history' }).click()
  await confirm.waitFor({ state: 'detached' })
  assert.equal(await rows().count(), 3, 'nothing went when the registrar kept the history')

  await page.getByTestId('history-clear').click()
  await confirm.getByRole('button', { name: 'Delete 2 runs' }).click()
  const line = rows().filter({ hasText: /History cleared by .+: 2 runs; 1 run kept \(still running or held for review\)\./ })
  await line.waitFor()
  assert.equal(await rows().count(), 2)
  assert.match(await line.innerText(), /History/)
  assert.equal(await rows().filter({ has: page.getByTestId('history-review') }).count(), 1, 'the run held for review stays')
  await shot('history-04-cleared')
  assert.deepEqual(pageErrors, [])
})
