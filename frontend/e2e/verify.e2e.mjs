// The Verify screen in the real app: a target that has fallen behind the roster is verified, the
// differences are counted, filtered and saved, chosen rows are re-synced by IDs in one click, and the
// run is in History (mode "ids"); re-sync by pasted IDs with dependencies lists the IDs not found.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli as cliOf, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, cli

before(async () => {
  dir = tempDir()
  cli = (...args) => cliOf(dir, ...args)
  const zip = join(dir, 'district.zip')
  mkdirSync(join(dir, 'out'))
  cli('generate', '--out', zip, '--users', '200', '--seed', '3')
  cli('connection', 'add', 'District SIS', '--kind', 'oneroster-csv', '--set', `path=${zip}`)
  cli('connection', 'add', 'Vendor', '--kind', 'oneroster-csv', '--role', 'target', '--set', `path=${join(dir, 'out')}`)
  cli('import', 'District SIS')
  cli('export', 'Vendor')
  // The district grows by ten students after the export: the roster has them, the vendor does not.
  cli('generate', '--out', zip, '--users', '210', '--seed', '3')
  cli('fetch', 'District SIS')
  cli('import', 'District SIS', '--override-hold')
  app = await startApp(dir)
  page = app.page
})

// option picks a choice of the select open now.
const option = (text) => page.locator('.n-base-select-option').filter({ hasText: text }).click()

// verifyJSON runs `verify NAME --json`, which exits 4 when it finds differences.
function verifyJSON(...args) {
  try {
    return JSON.parse(cli('verify', ...args, '--json'))
  } catch (e) {
    assert.equal(e.status, 4, String(e.stderr))
    return JSON.parse(String(e.stdout))
  }
}

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

test('Verification summary of a target: counts first, then the rows, filtered, searched and saved', async () => {
  await page.keyboard.press('Control+9')
  await page.getByTestId('verify-view').waitFor()
  await page.getByTestId('verify-target').click()
  await option(/^Vendor/)
  await page.getByTestId('verify-run').click()
  await page.getByTestId('verify-total').waitFor()
  assert.match(await page.getByTestId('verify-total').innerText(), /\d+ differences with Vendor/)
  assert.match(await page.getByTestId('verify-basis').innerText(), /the package at .*oneroster-1\.2-bulk-.*\.zip/)
  const users = (await page.getByTestId('verify-count-users').innerText()).split(/\s+/)
  assert.equal(users[0], 'Users')
  assert.ok(Number(users[3]) >= 10, `at least ten users missing at the vendor: ${users}`)
  await app.shot('verify-summary')
  await accessible(page, 'the verification summary')

  // Only users missing at the vendor, then one searched by ID.
  await page.getByTestId('verify-filter-entity').click()
  await option(/^Users$/)
  await page.getByTestId('verify-filter-kind').click()
  await option(/^Missing in the connection$/)
  const rows = page.getByTestId('verify-rows').locator('tbody tr')
  await rows.first().waitFor()
  const shown = await rows.count()
  assert.ok(shown >= 10, `${shown} rows`)
  await page.getByTestId('verify-search').locator('input').fill('usr-000201')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="verify-rows"] tbody tr').length === 1)
  assert.match(await rows.first().innerText(), /usr-000201[\s\S]*Missing in the connection/)

  await page.getByTestId('verify-save-csv').click()
  const path = await page.getByTestId('saved-path').innerText()
  const csv = readFileSync(path, 'utf8')
  assert.match(csv, /entity,sourcedId,rosterId,difference,field,roster value,connection value/)
  assert.match(csv, /users,usr-000201,usr-000201,missingInConnection/)
  assert.doesNotMatch(csv, /usr-000202/, 'the saved file keeps the search')
})

test('Checked rows go to re-sync by IDs in one click; the run goes to the vendor and is in History with the mode "ids"', async () => {
  await page.getByTestId('verify-search').locator('input').fill('')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="verify-rows"] tbody tr').length > 2)
  const boxes = page.getByTestId('verify-check')
  await boxes.nth(0).check()
  await boxes.nth(1).check()
  await page.getByTestId('verify-to-resync').click()
  await page.getByTestId('resync').waitFor()
  const ids = (await page.getByTestId('resync-ids').locator('textarea').inputValue()).split('\n')
  assert.equal(ids.length, 2)
  // The backend counts the IDs as it will read them, a moment after they arrive.
  await page.getByTestId('resync-count').filter({ hasText: /^2 IDs$/ }).waitFor()
  assert.match(await page.getByTestId('resync-target').innerText(), /Vendor/)
  assert.match(await page.getByTestId('resync-object-users').getAttribute('class'), /n-radio-button--checked/)
  await accessible(page, 'the re-sync form')
  await page.getByTestId('resync-run').click()
  await page.getByTestId('resync-message').filter({ hasText: /^Run \d+ finished\.$/ }).waitFor()
  await page.getByTestId('job-result').waitFor()
  const run = Number((await page.getByTestId('resync-message').innerText()).match(/Run (\d+)/)[1])
  await app.shot('verify-resynced')
  await page.getByTestId('resync-history').click()
  await page.getByText(`Run ${run}`).first().waitFor()
  const shown = JSON.parse(cli('runs', 'show', String(run), '--json'))
  assert.equal(shown.run.mode, 'ids')
  assert.equal(shown.run.counts.users.created, 2)
  // The re-sync went as a delta holding those two users with their roles and schools.
  assert.match(verifyJSON('Vendor', '--entity', 'users').basis, /delta/)
})

test('Re-sync by pasted IDs with dependencies: an ID that matches nothing is listed as not found', async () => {
  await page.keyboard.press('Control+9')
  await page.getByTestId('verify-view').locator('.n-tabs-tab').filter({ hasText: 'Re-sync by IDs' }).click()
  await page.getByTestId('resync-object-enrollments').click()
  await page.getByTestId('resync-ids').locator('textarea').fill('enr-000001-1\nnobody-here')
  await page.getByTestId('resync-count').filter({ hasText: '2 IDs' }).waitFor()
  assert.equal(await page.getByTestId('resync-deps').getAttribute('aria-checked'), 'true')
  await page.getByTestId('resync-run').click()
  await page.getByTestId('resync-not-found').waitFor()
  assert.match(await page.getByTestId('resync-not-found').innerText(), /nobody-here/)
  assert.match(await page.getByTestId('job-result').innerText(), /Enrollments/)
  await accessible(page, 'a re-sync with IDs not found')
  await page.keyboard.press('F1')
  assert.match(await page.getByTestId('help-shortcuts').innerText(), /Ctrl\+9\s+Verify/)
  assert.deepEqual(app.pageErrors, [])
})
