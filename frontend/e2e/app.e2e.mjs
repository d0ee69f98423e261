// End-to-end: the real Go backend driven by Debian's headless Chromium (see harness.mjs), in a fresh
// workspace, the way a registrar would use it: one story, each test going on from the one before.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { spawn } from 'node:child_process'
import ExcelJS from 'exceljs'
import { bin, shots, cli as cliOf, tempDir, startApp, startSSHD, removeDir } from './harness.mjs'

let dir, downloads, app, page, sshd, shot, pageErrors, sshdPort

// Errors of calls from the window are the backend's sentences, never "[object Object]".
const noObject = (text) => assert.doesNotMatch(text, /\[object Object\]/)

before(async () => {
  dir = tempDir()
  execFileSync(bin, ['generate', '--out', join(dir, 'district.zip'), '--users', '400', '--seed', '7'])
  execFileSync(bin, ['generate', '--out', join(dir, 'defects.zip'), '--users', '300', '--seed', '8', '--defects'])
  // A second feed of the same district: the same sourcedIds (and 20 students more), other names.
  execFileSync(bin, ['generate', '--out', join(dir, 'district-feed.zip'), '--users', '420', '--seed', '9'])
  writeFileSync(join(dir, 'broken.zip'), 'this is not a zip file\n')
  sshd = await startSSHD(dir)
  sshdPort = sshd.port
  app = await startApp(dir)
  ;({ page, downloads, shot, pageErrors } = app)
})

after(async () => {
  sshd?.stop()
  await app?.stop()
  if (dir) removeDir(dir)
})

test('a new workspace welcomes the user and offers the demo district', async () => {
  await page.getByTestId('welcome-load-demo').waitFor()
  await shot('01-welcome')
})

test('cancelling the demo district while it loads changes nothing', async () => {
  await page.getByTestId('welcome-students').locator('input').fill('80000')
  await page.getByTestId('welcome-load-demo').click()
  await page.getByTestId('job-progress').filter({ hasText: 'Generating the demo district' }).waitFor()
  await page.getByTestId('job-cancel').click()
  await page.getByTestId('job-cancelled').filter({ hasText: 'nothing was changed' }).waitFor({ timeout: 15000 })
  await shot('01b-cancelled')
  await page.keyboard.press('Escape')
  await page.getByTestId('job-cancelled').waitFor({ state: 'detached' })
  await page.getByTestId('welcome-load-demo').waitFor() // still an empty workspace: no connection was added
})

test('adds a OneRoster ZIP connection, fetches it and shows the validation report', async () => {
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Springfield SIS')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'district.zip'))
  await shot('02-add-connection')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'Springfield SIS' })
  await card.waitFor()
  await card.getByTestId('card-test').click()
  await card.getByTestId('card-last-test').filter({ hasText: 'works' }).waitFor()
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('report-counts').waitFor({ timeout: 30000 })
  const counts = await page.getByTestId('report-counts').innerText()
  assert.match(counts, /\(demographics\)\s+400\b/, 'a demographics record per student')
  assert.match(counts, /\(enrollments\)\s+2,496\b/, '400 students × 6 periods + one teacher per section (96)')
  await shot('03-fetch-report')
})

test('imports from the report into the roster and the schools appear in the roster browser', async () => {
  await page.getByTestId('report-import').click()
  await page.getByTestId('job-result').filter({ hasText: /succeeded/i }).waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('job-result').innerText(), /Enrollments\s+2,496\s+0\s+0\s+0\s+0/)
  await shot('04-import-result')
  await page.keyboard.press('Escape')
  await page.getByTestId('job-result').waitFor({ state: 'detached' })
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-orgs').click()
  await page.getByTestId('roster-row').filter({ hasText: /School/ }).first().waitFor()
  const schools = await page.getByTestId('roster-row').filter({ hasText: /School/ }).count()
  assert.ok(schools >= 2, `expected the district's schools, saw ${schools}`)
  await page.getByTestId('roster-tab-users').click()
  await page.getByTestId('roster-search').locator('input').fill('usr-000001')
  await page.getByTestId('roster-total').filter({ hasText: /Records: 1\b/ }).waitFor()
  await shot('05-roster')
})

// The selection wizard: what a registrar does to send one school on, end to end.
const wizard = () => page.getByTestId('wizard')
const chosen = async () => (await page.getByTestId('pick-chosen').innerText()).match(/^([\d,]+) of ([\d,]+)/).slice(1).map((n) => Number(n.replace(/,/g, '')))
// chosenBecomes waits for the chosen line to read "N of OF": a click's count comes back from the backend.
const chosenBecomes = (n, of) => page.getByTestId('pick-chosen').filter({ hasText: new RegExp(`^${n.toLocaleString('en-US')} of ${of.toLocaleString('en-US')} `) }).waitFor()

// savedFile waits for "Saved to <path>" and returns the path, which must be in the test's Downloads folder.
async function savedFile() {
  const path = await page.getByTestId('saved-path').last().innerText()
  assert.ok(path.startsWith(downloads), `${path} is in ${downloads}`)
  assert.ok(existsSync(path), `${path} exists`)
  return path
}

// editSheet sets the sync column of the given data rows (2 = the first under the header) and other cells.
async function editSheet(from, to, edit) {
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(from)
  const sheet = book.getWorksheet('Classes')
  const headers = sheet.getRow(1).values
  const column = (name) => headers.findIndex((h) => String(h).toLowerCase() === name)
  edit(sheet, column('id'), column('sync'))
  await book.xlsx.writeFile(to)
  return to
}

test('the wizard picks one school of the district by searching', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('connection-card').filter({ hasText: 'Springfield SIS' }).getByTestId('card-select').click()
  await wizard().getByTestId('pick-row').first().waitFor()
  const [all, of] = await chosen()
  assert.equal(all, of, 'nothing chosen yet: everything goes through')
  const school = page.getByTestId('pick-row').filter({ has: page.locator('td[data-col-key="type"]', { hasText: /^school$/ }) }).first()
  const id = await school.getAttribute('data-id')
  await page.getByTestId('pick-none').click()
  await chosenBecomes(0, of)
  await page.getByTestId('pick-search').locator('input').fill(id)
  await page.getByTestId('pick-row').nth(1).waitFor({ state: 'detached' })
  await page.getByTestId('pick-all').click()
  await chosenBecomes(1, of)
  await page.getByTestId('total-orgs').filter({ hasText: /^2 orgs$/ }).waitFor() // the school and its district
  await shot('10-wizard-schools')
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('pick-chosen').filter({ hasText: /^[\d,]+ of [\d,]+ chosen$/ }).waitFor()
  await page.getByText('Choose the classes that go through').waitFor()
})

test('the classes of that school go through a spreadsheet and back', async () => {
  await page.getByTestId('pick-row').first().waitFor()
  const [before, of] = await chosen()
  assert.equal(before, of, 'every class of the chosen school')
  assert.ok(of >= 5, `the school has classes (${of})`)
  await page.getByTestId('sheet-download').click()
  const sheet = await savedFile()
  assert.match(sheet, /Springfield SIS - classes\.xlsx$/)
  const edited = await editSheet(sheet, join(dir, 'classes-edited.xlsx'), (ws, _id, sync) => {
    for (const row of [2, 3, 4]) ws.getRow(row).getCell(sync).value = 'No'
  })
  await page.getByTestId('sheet-file').setInputFiles(edited)
  const review = page.getByTestId('sheet-review')
  await review.filter({ hasText: 'Use classes-edited.xlsx as the selection?' }).waitFor()
  assert.equal(await page.getByTestId('sheet-before').innerText(), String(of))
  assert.equal(await page.getByTestId('sheet-after').innerText(), String(of - 3))
  await shot('11-wizard-upload-review')
  await page.getByTestId('sheet-replace').click()
  await review.waitFor({ state: 'detached' })
  assert.deepEqual(await chosen(), [of - 3, of])
})

test('a spreadsheet with an unknown ID shows the row to fix and changes nothing', async () => {
  const [before, of] = await chosen()
  const bad = await editSheet(await savedFile(), join(dir, 'classes-bad.xlsx'), (ws, id) => {
    ws.getRow(3).getCell(id).value = 'cls-nobody-knows'
  })
  await page.getByTestId('sheet-file').setInputFiles(bad)
  const review = page.getByTestId('sheet-review')
  await review.filter({ hasText: 'classes-bad.xlsx was not used' }).waitFor()
  const finding = page.getByTestId('sheet-finding').filter({ hasText: 'cls-nobody-knows' })
  assert.match(await finding.innerText(), /^\s*3\s/, 'the finding names row 3')
  assert.equal(await page.getByTestId('sheet-replace').count(), 0, 'nothing to apply')
  await shot('12-wizard-bad-upload')
  await page.getByTestId('sheet-cancel').click()
  await review.waitFor({ state: 'detached' })
  assert.deepEqual(await chosen(), [before, of])
})

test('a picture or a text file chosen as the spreadsheet is refused in the backend\'s words, naming it', async () => {
  const [before, of] = await chosen()
  // The first bytes of a PNG picture, and notes saved as text.
  const picture = join(dir, 'class photo.png')
  writeFileSync(picture, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'))
  const notes = join(dir, 'notes.txt')
  writeFileSync(notes, 'Remember: send only Lincoln High\r\n')
  for (const file of [picture, notes]) {
    const name = file.slice(dir.length + 1)
    await page.getByTestId('sheet-file').setInputFiles(file)
    const message = page.getByTestId('error-message').filter({ hasText: name })
    await message.waitFor()
    noObject(await message.innerText())
  }
  await shot('12b-wizard-picture-upload')
  assert.equal(await page.getByTestId('sheet-review').count(), 0, 'nothing to review')
  assert.deepEqual(await chosen(), [before, of])
})

test('users by status, then the plan: most of the district would go, so the run would be held', async () => {
  await page.keyboard.press('Enter') // Enter = Next
  await page.getByTestId('users-counts').waitFor()
  assert.match(await page.getByTestId('users-counts').innerText(), /Active[\s\S]*Inactive[\s\S]*Deleted[\s\S]*Blank/)
  await shot('13-wizard-users')
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('plan-counts').waitFor({ timeout: 30000 })
  // The hold names the biggest change: the enrollments of the other schools, counted in thousands.
  assert.match(await page.getByTestId('plan-hold').innerText(), /Held for review: this run would delete [\d,]+ of the [\d,]+ enrollments in the roster/)
  assert.match(await page.getByTestId('plan-counts').innerText(), /Enrollments\s+0\s+0\s+[1-9][\d,]*\s/, 'enrollments of the other schools would be deleted')
  await page.getByTestId('record-row').filter({ hasText: 'delete' }).first().waitFor()
  await shot('14-wizard-plan')
})

test('the held import is applied anyway, and the status offers its log', async () => {
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('sync-start').click()
  await page.getByTestId('held-run').waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('job-result').innerText(), /held for review/)
  await page.getByTestId('held-run').getByTestId('record-row').first().waitFor()
  await shot('15-wizard-held')
  await page.getByTestId('held-apply').click()
  const confirm = page.getByRole('dialog').filter({ hasText: 'Apply this run anyway?' })
  await confirm.getByRole('button', { name: 'Apply anyway' }).click()
  await page.getByTestId('status-tag').filter({ hasText: 'succeeded' }).waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('status-counts').innerText(), /Enrollments\s+0\s+0\s+[1-9]/)
  await page.getByTestId('log-csv').click()
  const log = await savedFile()
  assert.match(log, /\.csv$/)
  assert.equal(readFileSync(log, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0], 'entity,sourcedId,action,status,field,details,reason,before,after')
  await shot('16-wizard-status')
  await page.getByTestId('wizard-close').click()
  await page.getByTestId('wizard').waitFor({ state: 'detached' })
})

// openSelection opens the wizard of a connection from its card.
async function openSelection(name) {
  await page.getByTestId('connection-card').filter({ hasText: name }).getByTestId('card-select').click()
  await wizard().getByTestId('pick-row').first().waitFor()
}

test('a double click on Next lands on Classes; Select none, Close and Discard keeps the saved selection, Save stores it', async () => {
  await openSelection('Springfield SIS')
  // The two clicks of a double click on Next, the second once the first has changed the step (the
  // lists differ in height, so a double click by the mouse would miss the moved button).
  const next = page.getByTestId('wizard-next')
  await next.dispatchEvent('click', { detail: 1 })
  await page.getByText('Choose the classes that go through').waitFor()
  await next.dispatchEvent('click', { detail: 2 })
  await page.getByTestId('pick-row').first().waitFor()
  assert.equal(await page.getByTestId('users-counts').count(), 0, 'the double click did not skip to Users')
  await page.getByText('Choose the classes that go through').waitFor()
  const [saved, of] = await chosen()
  assert.ok(saved > 0 && saved < of, `some classes are chosen (${saved} of ${of})`)
  const closeAnd = async (answer) => {
    await page.getByTestId('pick-none').click()
    await chosenBecomes(0, of)
    await page.getByTestId('wizard-unsaved').waitFor()
    await page.getByTestId('wizard-close').click()
    await page.getByTestId('unsaved').waitFor()
    await shot(`20-wizard-unsaved-${answer}`)
    await page.getByTestId(`unsaved-${answer}`).click()
    await wizard().waitFor({ state: 'detached' })
    await openSelection('Springfield SIS') // the wizard reads the saved selection from the backend again
    await page.getByTestId('wizard-next').click()
    await page.getByText('Choose the classes that go through').waitFor()
    await page.getByTestId('pick-row').first().waitFor()
  }
  await closeAnd('discard')
  assert.deepEqual(await chosen(), [saved, of], 'discarded: the saved selection is unchanged')
  await closeAnd('save')
  assert.deepEqual(await chosen(), [0, of], 'saved')
  // Back to the classes chosen before, saved with the button.
  await page.getByTestId('pick-all').click()
  await page.getByTestId('wizard-save').click()
  await page.getByTestId('wizard-unsaved').waitFor({ state: 'detached' })
  await page.getByTestId('wizard-close').click()
  await wizard().waitFor({ state: 'detached' })
})

test('a target connection exports the roster as a OneRoster ZIP into its folder', async () => {
  const drop = join(dir, 'vendor')
  mkdirSync(drop)
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Vendor drop')
  await page.getByTestId('conn-role').click()
  await page.getByText('Target', { exact: true }).click()
  await page.getByTestId('conn-opt-path').locator('input').fill(drop)
  await page.getByTestId('conn-opt-mode').waitFor()
  await shot('17-add-target')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'Vendor drop' })
  assert.match(await card.getByTestId('card-role').innerText(), /Target/)
  await card.getByTestId('card-export').click()
  await page.getByTestId('plan-counts').waitFor({ timeout: 30000 })
  assert.equal(await page.getByTestId('plan-hold').count(), 0, 'a first export creates only: never held')
  await page.getByTestId('wizard-next').click()
  assert.ok(await page.getByTestId('export-mode-bulk').locator('input').isChecked(), 'bulk, as the connection says')
  await page.getByTestId('sync-start').click()
  await page.getByTestId('status-tag').filter({ hasText: 'succeeded' }).waitFor({ timeout: 30000 })
  const zips = readdirSync(drop).filter((f) => f.endsWith('.zip'))
  assert.equal(zips.length, 1, `one ZIP in ${drop}: ${readdirSync(drop)}`)
  await shot('18-export-status')
  await page.getByTestId('wizard-close').click()
})

test('adding a connection whose file does not exist, or a name already used, says so in the backend\'s words', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Missing export')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'missing.zip'))
  await page.getByTestId('conn-submit').click()
  const error = page.getByTestId('conn-error')
  await error.filter({ hasText: 'missing.zip' }).waitFor()
  noObject(await error.innerText())
  await shot('06a-missing-file')
  await page.getByTestId('conn-name').locator('input').fill('Springfield SIS')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'district.zip'))
  await page.getByTestId('conn-submit').click()
  await error.filter({ hasText: 'Springfield SIS' }).waitFor()
  noObject(await error.innerText())
  // A spreadsheet source previewed from a file that is not there.
  await page.getByTestId('conn-kind').click()
  await page.getByText('Spreadsheet (Excel or CSV)', { exact: true }).click()
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'missing.xlsx'))
  await page.getByTestId('columns-preview').click()
  const preview = page.getByTestId('columns-error').filter({ hasText: 'missing.xlsx' })
  await preview.waitFor()
  noObject(await preview.innerText())
  await page.keyboard.press('Escape')
  await error.waitFor({ state: 'detached' })
})

test('a file that is not a ZIP gives a clear message and changes nothing', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Broken export')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'broken.zip'))
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'Broken export' })
  await card.getByTestId('card-test').click()
  await card.getByTestId('card-last-test').filter({ hasText: /failed.*not a ZIP/s }).waitFor()
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('job-error').filter({ hasText: /broken\.zip.*not a ZIP/i }).waitFor({ timeout: 15000 })
  await shot('06-broken-file')
  await page.keyboard.press('Escape')
  await page.getByTestId('job-error').waitFor({ state: 'detached' })
})

test('the validation report lists each warning with file, line and column, and filters them', async () => {
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Export with defects')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'defects.zip'))
  await page.getByTestId('conn-submit').click()
  await page.getByTestId('connection-card').filter({ hasText: 'Export with defects' }).getByTestId('card-fetch').click()
  await page.getByTestId('report-counts').waitFor({ timeout: 30000 })
  const rows = page.getByTestId('finding-row')
  await rows.first().waitFor()
  assert.ok(await rows.count() >= 4, 'the injected defects are reported')
  await page.getByPlaceholder('Search findings').fill('enabledUser')
  await rows.filter({ hasText: '"TRUE" read as true' }).first().waitFor()
  const row = await rows.first().innerText()
  assert.match(row, /users\.csv/)
  assert.match(row, /\b\d+\b/, 'the line number is shown')
  await shot('07-findings')
  await page.getByText(/^Errors \(0\)$/).click()
  await rows.first().waitFor({ state: 'detached' })
  await page.keyboard.press('Escape')
})

test('an SFTP drop: the private key kept out of the workspace, the server trusted only after comparing its fingerprint', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('District SFTP')
  await page.getByTestId('conn-kind').click()
  await page.getByText('OneRoster on an SFTP server', { exact: true }).click()
  await page.getByTestId('conn-opt-host').locator('input').fill('127.0.0.1')
  await page.getByTestId('conn-opt-port').locator('input').fill(String(sshdPort))
  await page.getByTestId('conn-opt-username').locator('input').fill(userInfo().username)
  await page.getByTestId('conn-opt-remotePath').locator('input').fill(join(dir, 'district.zip'))
  await page.getByTestId('conn-opt-privateKey').locator('textarea').fill(readFileSync(join(dir, 'ssh', 'user'), 'utf8'))
  assert.match(await page.getByTestId('conn-secrets-where').innerText(), /encrypted file/)
  await shot('08-add-sftp')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'District SFTP' })
  await card.waitFor()
  // SQLite keeps recent writes in workspace.db-wal until a checkpoint: read all of the workspace's files.
  const workspace = Buffer.concat(['', '-wal', '-shm'].map((end) => join(dir, `workspace.db${end}`)).filter(existsSync).map((f) => readFileSync(f)))
  assert.ok(workspace.includes('District SFTP'), 'what was just stored is read: the connection is there')
  const keyLine = readFileSync(join(dir, 'ssh', 'user'), 'utf8').split('\n')[1]
  assert.ok(!workspace.includes('PRIVATE KEY') && !workspace.includes(keyLine), 'the key is not in the workspace')

  const fingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'ssh', 'host.pub')]).toString().split(' ')[1]
  await card.getByTestId('card-test').click()
  const prompt = page.getByRole('dialog').filter({ hasText: 'Trust 127.0.0.1?' })
  await prompt.filter({ hasText: fingerprint }).waitFor()
  await shot('09-trust-host-key')
  await prompt.getByRole('button', { name: 'Trust this key' }).click()
  await card.getByTestId('card-last-test').filter({ hasText: 'works' }).waitFor()
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('report-counts').waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('report-counts').innerText(), /\(demographics\)\s+400\b/)
  await page.keyboard.press('Escape')
})

test('history lists the import with its operator and counts', async () => {
  await page.getByTestId('nav-history').click()
  const row = page.getByTestId('history-row').filter({ hasText: 'Springfield SIS' })
  await row.first().waitFor()
  assert.match(await row.first().innerText(), /succeeded/i)
  await shot('08-history')
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})

test('history: a held run opens for review in the wizard, and a run log downloads as XLSX', async () => {
  const held = page.getByTestId('history-row').filter({ hasText: 'held for review' }).first()
  await held.getByTestId('history-review').click()
  await page.getByTestId('held-run').waitFor()
  assert.match(await page.getByTestId('job-result').innerText(), /Held for review/)
  await page.getByTestId('wizard-close').click()
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-row').filter({ hasText: 'Vendor drop' }).first().click()
  await page.getByTestId('log-xlsx').click()
  assert.match(await savedFile(), /Vendor drop export\.xlsx$/)
  await shot('19-history-log')
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})

test('when the stored fetch is gone the wizard says so in the backend\'s words, and fetching again mends it', async () => {
  const staging = join(dir, 'workspace.db.staging')
  assert.ok(existsSync(staging), `the fetches are stored in ${staging}`)
  rmSync(staging, { recursive: true })
  await page.keyboard.press('Escape') // the run log drawer of the test before
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('connection-card').filter({ hasText: 'Export with defects' }).getByTestId('card-select').click()
  const error = page.getByTestId('wizard-error')
  await error.waitFor()
  const text = await error.innerText()
  noObject(text)
  assert.match(text, /Fetch Export with defects first/, 'it asks for a new fetch, not for the source file, which is still there')
  await shot('21-wizard-fetch-gone')
  await page.getByTestId('wizard-fetch').click()
  await wizard().getByTestId('pick-row').first().waitFor({ timeout: 30000 })
  await page.getByTestId('wizard-close').click()
  await wizard().waitFor({ state: 'detached' })
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})

// One roster, many sources: a second feed of the district whose IDs are the first's.
const sourceNames = () => page.getByTestId('source-name').allInnerTexts()
const fieldRow = (name) => page.getByTestId('record-field').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${name}$`) }) })

// shared is a user both sources send (live) and spell differently, taken from the Conflicts view.
let shared

// openRecord shows a user in the roster browser and opens its side panel.
async function openRecord(id) {
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-users').click()
  await page.getByTestId('roster-search').locator('input').fill(id)
  await page.getByTestId('roster-total').filter({ hasText: /Records: 1\b/ }).waitFor()
  await page.getByTestId('roster-row').filter({ hasText: id }).click()
  await page.getByTestId('record-panel').getByTestId('record-status').waitFor()
}

// kept is the value the roster holds for a field of the open record, and the source it came from.
async function kept(field) {
  const cells = await fieldRow(field).locator('td').allInnerTexts()
  return { value: cells[1].trim(), from: cells[2].trim() }
}

test('a second source sharing IDs with the first: the form says what shared IDs mean, its import creates only what is new', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('District feed')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'district-feed.zip'))
  const ids = page.locator('.n-form-item').filter({ has: page.getByTestId('conn-opt-ids') })
  assert.match(await ids.innerText(), /shared: a record with the same sourcedId as one another source sent is the same record/)
  assert.match(await page.getByTestId('conn-opt-ids').innerText(), /shared/)
  await shot('23-add-second-source')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'District feed' })
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('report-import').click()
  await page.getByTestId('job-result').filter({ hasText: /succeeded/i }).waitFor({ timeout: 60000 })
  // 20 students of its own, with their roles, demographics and enrollments; the rest meet the first source's records.
  assert.match(await page.getByTestId('job-result').innerText(), /Users\s+\d+\s+[1-9][\d,]*\s/)
  await page.keyboard.press('Escape')
  await page.getByTestId('job-result').waitFor({ state: 'detached' })
})

test('the Conflicts view: each source\'s value with the kept one, filtered by entity and field, searched, exported to Excel', async () => {
  await page.getByTestId('nav-conflicts').click()
  await page.getByTestId('conflict-row').first().waitFor()
  const total = async () => Number((await page.getByTestId('conflicts-total').innerText()).match(/[\d,]+/)[0].replace(/,/g, ''))
  const all = await total()
  assert.ok(all > 1000, `thousands of conflicts (${all})`)
  assert.equal(await page.getByTestId('conflict-row').count(), 50, 'one page of them')
  await page.getByTestId('conflicts-entity').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Users$/ }).click()
  await page.getByTestId('conflicts-field').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^givenName$/ }).click()
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="conflict-row"]')].every((r) => r.textContent.includes('givenName')))
  const names = await total()
  assert.ok(names > 100 && names < all, `the users' given names (${names} of ${all})`)
  await page.getByTestId('conflicts-export').click()
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(await savedFile())
  const sheet = book.worksheets[0]
  assert.deepEqual(sheet.getRow(1).values.slice(1, 4), ['entity', 'record', 'field'])
  assert.ok(sheet.getRow(1).values.includes('Springfield SIS') && sheet.getRow(1).values.includes('District feed'), 'a column per source')
  assert.equal(sheet.actualRowCount - 1, names, 'every conflict the filters match, not only the page shown')
  shared = (await page.getByTestId('conflict-row').first().locator('td').nth(1).innerText()).trim()
  assert.match(shared, /^usr-\d{6}$/)
  const header = sheet.getRow(1).values
  const line = sheet.getRows(2, sheet.actualRowCount - 1).find((r) => r.getCell(2).value === shared)
  assert.equal(line.getCell(header.indexOf('kept from')).value, 'Springfield SIS')
  await page.getByTestId('conflicts-search').locator('input').fill(shared)
  await page.getByTestId('conflicts-total').filter({ hasText: /^One conflict$/ }).waitFor()
  const row = page.getByTestId('conflict-row')
  const keptOne = row.locator('[data-testid="conflict-value"][data-kept="true"]')
  assert.match(await keptOne.innerText(), /Springfield SIS/, 'the first source\'s value is kept')
  await shot('24-conflicts')
  await row.click()
  await page.getByTestId('record-panel').getByTestId('record-conflict').first().waitFor()
  await page.keyboard.press('Escape')
  await page.getByTestId('record-panel').waitFor({ state: 'detached' })
})

test('the record panel says where each value came from; putting the second source first in Settings changes the kept value', async () => {
  await openRecord(shared)
  const before = await kept('givenName')
  assert.equal(before.from, 'Springfield SIS')
  assert.deepEqual((await page.getByTestId('record-origin').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    [`Springfield SIS ${shared} sends it`, `District feed ${shared} sends it`])
  await page.getByTestId('record-conflict').filter({ hasText: /^\s*givenName/ }).waitFor()
  await page.getByTestId('record-run').filter({ hasText: 'District feed' }).first().waitFor()
  await page.waitForTimeout(300) // the panel slides in
  await shot('25-record-panel')
  await page.keyboard.press('Escape')
  await page.getByTestId('record-panel').waitFor({ state: 'detached' })

  await page.getByTestId('nav-settings').click()
  await page.getByTestId('source-row').first().waitFor()
  assert.match(await page.getByTestId('sources-hint').innerText(), /For each field the roster keeps the value of the highest source that has one/)
  assert.equal((await sourceNames())[0], 'Springfield SIS')
  assert.equal((await sourceNames()).at(-1), 'District feed')
  const row = (name) => page.getByTestId('source-row').filter({ has: page.getByTestId('source-name').filter({ hasText: new RegExp(`^${name}$`) }) })
  // By drag and drop: the last source onto the first place.
  await row('District feed').dragTo(row('Springfield SIS'))
  await page.getByText(/Saved\. Order: District feed, Springfield SIS/).waitFor({ timeout: 30000 })
  assert.deepEqual((await sourceNames()).slice(0, 2), ['District feed', 'Springfield SIS'])
  // By keyboard: down one place and back up; the focus stays on the row moved.
  await row('District feed').getByTestId('source-down').focus()
  await page.keyboard.press('Enter')
  await page.getByText(/Saved\. Order: Springfield SIS, District feed/).waitFor({ timeout: 30000 })
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid="source-row"]')?.textContent.includes('District feed'))
  await page.keyboard.press('Shift+Tab') // from its Move down to its Move up
  await page.keyboard.press('Enter')
  await page.getByText(/Saved\. Order: District feed, Springfield SIS/).nth(1).waitFor({ timeout: 30000 })
  assert.deepEqual((await sourceNames()).slice(0, 2), ['District feed', 'Springfield SIS'])
  await shot('26-settings-sources')
  const order = execFileSync(bin, ['--workspace', join(dir, 'workspace.db'), 'connection', 'precedence']).toString()
  assert.match(order, /1\. District feed[\s\S]*2\. Springfield SIS/, `the CLI shows the same order:\n${order}`)

  await openRecord(shared)
  const after = await kept('givenName')
  assert.equal(after.from, 'District feed')
  assert.notEqual(after.value, before.value, 'the second source\'s spelling is kept now')
  await page.getByTestId('record-run').filter({ hasText: 'Source precedence' }).first().waitFor()
  await page.keyboard.press('Escape')
  await page.getByTestId('record-panel').waitFor({ state: 'detached' })
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})

test('removing the second source asks about the records only it supplies; marking them tobedeleted is a recorded run', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('connection-card').filter({ hasText: 'District feed' }).getByTestId('card-remove').click()
  const ask = page.getByTestId('remove-source')
  assert.match(await ask.getByTestId('remove-only').innerText(), /^[\d,]+ records come from District feed alone \(.*Users: \d+/)
  assert.match(await ask.getByTestId('remove-shared').innerText(), /Records other sources supply too \(.*\) stay/)
  await shot('27-remove-source')
  await ask.getByTestId('remove-mark').click()
  await ask.getByTestId('remove-confirm').click()
  await page.getByText('Removed District feed; the records only it supplied are marked tobedeleted.').waitFor({ timeout: 30000 })
  await page.getByTestId('connection-card').filter({ hasText: 'District feed' }).waitFor({ state: 'detached' })

  // A student only the removed source sent is marked tobedeleted; a shared one keeps the first source's values.
  await openRecord('usr-000420')
  assert.equal(await page.getByTestId('record-status').innerText(), 'tobedeleted')
  assert.match(await page.getByTestId('record-no-origins').innerText(), /No source sends it any more/)
  await page.keyboard.press('Escape')
  await page.getByTestId('record-panel').waitFor({ state: 'detached' })
  await openRecord(shared)
  assert.equal((await kept('givenName')).from, 'Springfield SIS')
  await page.keyboard.press('Escape')
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-row').filter({ hasText: 'Removed the source District feed' }).first().waitFor()
  await page.getByTestId('nav-dashboard').click() // where the last test starts
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})

// Duplicates in a workspace of their own (the shared one's people are all distinct): the window's
// second instance on a district with near-duplicate students, imported by the command line.
test('duplicates: a scan fills the queue, a pair merged side by side keeps a value of the other record, and undo brings both back', async () => {
  // A workspace of its own, in a second app and window.
  const sub = join(dir, 'duplicates')
  mkdirSync(sub)
  const zip = join(dir, 'duplicates.zip')
  const cli = (...args) => cliOf(sub, ...args)
  execFileSync(bin, ['generate', '--out', zip, '--users', '120', '--seed', '21', '--duplicates', '0.1'])
  const second = await startApp(sub)
  const p = second.page
  try {
    // Settings → Duplicates: the domains in priority order; imports stop scanning, so the window's scan finds the pairs.
    await p.getByTestId('nav-settings').click()
    await p.getByTestId('domain-row').first().waitFor()
    assert.ok((await p.getByTestId('domain-name').allInnerTexts()).includes('Name and birth date'))
    const after = p.getByTestId('domains-after-import')
    assert.equal(await after.getAttribute('aria-checked'), 'true', 'imports scan by default')
    await after.click()
    await p.getByText('Imports no longer scan for duplicates').waitFor()
    await p.getByTestId('settings-duplicates').screenshot({ path: join(shots, '29-settings-duplicates.png') })
    assert.match(cli('duplicates', 'settings'), /do not scan/)
    cli('connection', 'add', 'Lakeside SIS', '--kind', 'oneroster-csv', '--set', `path=${zip}`)
    cli('fetch', 'Lakeside SIS')
    cli('import', 'Lakeside SIS')

    await p.keyboard.press('Control+6')
    await p.getByTestId('duplicates-empty').waitFor()
    await p.getByTestId('duplicates-scan').click()
    const summary = p.getByTestId('duplicates-summary')
    await summary.waitFor({ timeout: 30000 })
    assert.match(await summary.innerText(), /\d+ new pairs\./)
    await p.getByTestId('nav-duplicates-waiting').waitFor() // the navigation counts the pairs waiting
    await p.getByTestId('pair-row').nth(1).waitFor()
    await p.screenshot({ path: join(shots, '30-duplicates.png'), fullPage: true })

    // J and K move through the queue; the first pair with a merge that moves something is merged.
    const card = p.getByTestId('pair-card')
    const first = await card.getAttribute('data-pair')
    await p.keyboard.press('j')
    await p.waitForFunction((id) => document.querySelector('[data-testid="pair-card"]')?.getAttribute('data-pair') !== id, first)
    await p.keyboard.press('k')
    await p.waitForFunction((id) => document.querySelector('[data-testid="pair-card"]')?.getAttribute('data-pair') === id, first)
    assert.match(await card.getByTestId('evidence-row').first().innerText(), /\d+ %/)
    await p.keyboard.press('m')
    await p.getByTestId('merge-field').first().waitFor()
    const [primary, secondary] = await p.getByTestId('merge-record').evaluateAll((els) => els.map((e) => e.dataset.id))
    // A field the roster browser shows, filled in both records and different, takes the other record's value.
    const field = await p.evaluate(() => ['identifier', 'username', 'email', 'givenName', 'familyName'].find((f) => {
      const values = [...document.querySelectorAll(`[data-testid="merge-field"][data-field="${f}"] [data-testid="merge-value"]`)].map((b) => b.textContent.trim())
      return values.length === 2 && values[0] !== values[1] && !values.includes('—')
    }))
    assert.ok(field, 'the pair differs in a field the roster shows')
    const row = p.locator(`[data-testid="merge-field"][data-field="${field}"]`)
    assert.equal(await row.getAttribute('class'), 'differ')
    const [kept, taken] = await row.getByTestId('merge-value').allInnerTexts()
    await row.getByTestId('merge-value').nth(1).click()
    assert.equal(await row.getByTestId('merge-preview').locator('input').inputValue(), taken)
    assert.ok(await p.getByTestId('merge-move').count() > 0, 'the other record\'s enrollments, role and demographics move')
    await p.screenshot({ path: join(shots, '31-merge.png'), fullPage: true })
    await p.getByTestId('merge-save').click()
    await p.getByTestId('merge-dialog').getByTestId('job-result').filter({ hasText: /succeeded/ }).waitFor({ timeout: 20000 })
    await p.getByTestId('merge-close').click()

    // The roster: the kept record with the chosen value, the other record gone (tobedeleted, so targets delete it).
    const userRow = async (search) => {
      const box = p.getByTestId('roster-search').locator('input')
      await box.fill('') // every user first, so the one-record answer below is this search's
      await p.getByTestId('roster-total').filter({ hasText: /Records: \d{2,}/ }).waitFor()
      await box.fill(search)
      await p.getByTestId('roster-total').filter({ hasText: /Records: 1\b/ }).waitFor()
      await p.getByTestId('roster-row').first().locator('.cell').first().filter({ hasText: /\S/ }).waitFor()
      const head = await p.locator('.row.head .cell').allInnerTexts()
      const cells = await p.getByTestId('roster-row').first().locator('.cell').allInnerTexts()
      return Object.fromEntries(head.map((h, i) => [h, cells[i]]))
    }
    await p.getByTestId('nav-roster').click()
    await p.getByTestId('roster-tab-users').click()
    const merged = await userRow(primary)
    assert.deepEqual([merged.sourcedId, merged[field]], [primary, taken])
    const gone = await userRow(secondary)
    assert.deepEqual([gone.sourcedId, gone.status], [secondary, 'tobedeleted'])

    // Undo from the queue: Merged, the pair, U, confirm.
    await p.getByTestId('nav-duplicates').click()
    await p.getByTestId('duplicates-status').click()
    await p.locator('.n-base-select-option').filter({ hasText: /^Merged/ }).click()
    await p.locator(`[data-testid="pair-row"][data-pair="${first}"]`).click()
    await p.getByTestId('pair-decided').filter({ hasText: /^Merged in run \d+ by / }).waitFor()
    await p.keyboard.press('u')
    await p.locator('.n-dialog').getByRole('button', { name: 'Undo this merge' }).click()
    await p.getByText(/^Undone\./).waitFor()
    await p.getByTestId('nav-roster').click()
    const back = await userRow(primary)
    assert.deepEqual([back.sourcedId, back[field], back.status], [primary, kept, 'active'])
    const other = await userRow(secondary)
    assert.deepEqual([other.sourcedId, other[field], other.status], [secondary, taken, 'active'])
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
  } finally {
    pageErrors.push(...second.pageErrors)
    await second.stop()
  }
})

// startPushAPI runs the loopback test API a SIS's import API stands for (POST adds a record, GET lists
// them), built once into build/bin; it prints its base URL on its first line.
async function startPushAPI(apiKey) {
  const pushBin = resolve('..', 'build', 'bin', 'pushapi')
  execFileSync('go', ['build', '-o', pushBin, './backend/internal/pushtest/pushapi'], { cwd: resolve('..'), stdio: 'inherit' })
  const api = spawn(pushBin, ['-addr', '127.0.0.1:0', '-apikey', apiKey], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise((ok, fail) => {
    let out = ''
    api.stdout.on('data', (d) => {
      out += d
      const line = out.split('\n').find((l) => /^https?:\/\//.test(l.trim()))
      if (line) ok(line.trim().replace(/\/$/, ''))
    })
    api.once('exit', (code) => fail(new Error(`the push API exited with ${code}: ${out}`)))
  })
  return { api, url }
}

test('mapping a REST API target: a transformation previewed on an example, saved, one test record sent, then the export sends the others', async () => {
  const { api, url } = await startPushAPI('K')
  try {
    await page.getByTestId('nav-dashboard').click()
    await page.getByTestId('add-connection').first().click()
    await page.getByTestId('conn-name').locator('input').fill('Acme SIS API')
    await page.getByTestId('conn-kind').click()
    await page.locator('.n-base-select-option').filter({ hasText: 'REST API (push)' }).click()
    await page.getByTestId('conn-opt-baseUrl').locator('input').fill(url)
    await page.getByTestId('conn-opt-auth').click()
    await page.locator('.n-base-select-option').filter({ hasText: /^apikey$/ }).click()
    await page.getByTestId('conn-opt-endpoints').locator('textarea').fill('{"users": "/api/students"}')
    await page.getByTestId('conn-opt-apiKey').locator('input').fill('K')
    await page.getByTestId('conn-submit').click()
    const card = page.getByTestId('connection-card').filter({ hasText: 'Acme SIS API' })
    await card.getByTestId('card-mapping').click()

    // The users mapping: familyName becomes a Transformation in capitals.
    await page.getByTestId('mapping-entity-users').waitFor()
    const family = page.locator('[data-testid="mapping-row"][data-to="familyName"]')
    await family.getByTestId('field-value').locator('code').waitFor() // the first example's value, at once
    await family.getByTestId('field-type').click()
    await page.locator('.n-base-select-option').filter({ hasText: /^Transformation$/ }).click()
    await family.getByTestId('field-expr').locator('textarea').fill('upper(familyName)')
    await page.getByTestId('mapping-unsaved').waitFor()

    // Another example record, searched by its ID: one still active (the held import marked most of the
    // district tobedeleted, and those are not sent). Its family name in capitals in the Mapped value column.
    const shown = await page.getByTestId('mapping-example').innerText()
    let id, familyName
    // Every 25th user first: a school's students are numbered together, so an active one turns up in a few looks.
    const order = Array.from({ length: 400 }, (_, i) => i + 1).sort((a, b) => ((a - 1) % 25) - ((b - 1) % 25) || a - b)
    for (const n of order) {
      if (id) break
      const candidate = `usr-${String(n).padStart(6, '0')}`
      if (shown.includes(`(${candidate})`)) continue
      const rec = JSON.parse(execFileSync(bin, ['--workspace', join(dir, 'workspace.db'), '--json', 'roster', 'show', 'users', candidate]).toString())
      if (rec.status === 'active') [id, familyName] = [candidate, rec.fields.find((f) => f.name === 'familyName').value]
    }
    assert.ok(id, 'an active user in the roster')
    await page.getByTestId('mapping-example').click()
    await page.getByTestId('mapping-example').locator('input').fill(id)
    await page.locator('.n-base-select-option').filter({ hasText: `(${id})` }).click()
    await family.getByTestId('field-value').filter({ hasText: familyName.toUpperCase() }).waitFor()
    assert.notEqual(familyName, familyName.toUpperCase(), 'the name was not in capitals before')
    await page.getByTestId('mapping-payload-toggle').click()
    assert.match(await page.getByTestId('mapping-payload').innerText(), new RegExp(`"familyName": "${familyName.toUpperCase()}"`))
    await shot('30-mapping')

    await page.keyboard.press('Control+s')
    await page.getByText('Saved the Users mapping of Export to Acme SIS API.').waitFor()
    await page.getByTestId('mapping-unsaved').waitFor({ state: 'detached' })

    // Send test record: the exact request first, sent only after OK, continue.
    await page.getByTestId('mapping-send-test').click()
    const dialog = page.getByTestId('test-record')
    const payload = JSON.parse(await dialog.getByTestId('test-payload').innerText())
    assert.deepEqual([payload.sourcedId, payload.familyName], [id, familyName.toUpperCase()])
    assert.match(await dialog.getByTestId('test-request').innerText(), new RegExp(`POST\\s+${url}/api/students`))
    const before = await (await fetch(`${url}/api/students`, { headers: { 'X-API-Key': 'K' } })).json()
    assert.equal(before.records.length, 0, 'nothing is sent before OK, continue')
    await shot('31-test-record')
    await dialog.getByTestId('test-continue').click()
    await dialog.getByTestId('test-status').filter({ hasText: '201' }).waitFor({ timeout: 15000 })
    assert.match(await dialog.getByTestId('test-known').innerText(), /is now known to Acme SIS API/)
    await shot('32-test-record-sent')
    await dialog.getByTestId('test-close').click()

    // The export sends every other user once; the test record is not created a second time.
    await page.getByTestId('nav-dashboard').click()
    await card.getByTestId('card-export').click()
    await page.getByTestId('plan-counts').waitFor({ timeout: 30000 })
    await page.getByTestId('wizard-next').click()
    await page.getByTestId('sync-start').click()
    await page.getByTestId('status-tag').filter({ hasText: 'succeeded' }).waitFor({ timeout: 60000 })
    await page.getByTestId('wizard-close').click()
    const sent = (await (await fetch(`${url}/api/students`, { headers: { 'X-API-Key': 'K' } })).json()).records
    assert.ok(sent.length > 1, `the export sent the other users: ${sent.length}`)
    assert.equal(sent.filter((r) => r.sourcedId === id).length, 1, 'the test record is at the API once')
    assert.equal(new Set(sent.map((r) => r.sourcedId)).size, sent.length, 'no user sent twice')
    assert.ok(sent.every((r) => r.familyName === r.familyName.toUpperCase()), 'every user with the saved mapping')
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
  } finally {
    if (api.exitCode === null) {
      const exited = new Promise((ok) => api.once('exit', ok))
      api.kill()
      await exited
    }
  }
})

// countsOf reads one entity's row of a run's counts table: created, updated, deleted, unchanged, skipped, failed.
async function countsOf(result, entity) {
  const row = (await result.innerText()).split('\n').find((l) => l.startsWith(entity))
  assert.ok(row, `${entity} in ${await result.innerText()}`)
  const [created, updated, deleted, unchanged, skipped, failed] = row.slice(entity.length).trim().split(/\s+/).map((n) => Number(n.replace(/,/g, '')))
  return { created, updated, deleted, unchanged, skipped, failed }
}

test('the roster browser sends the users of one school to the vendor drop, and Set sync connection adds two orgs to its selection', async () => {
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-users').click()
  await page.getByTestId('roster-search').locator('input').fill('')
  // The total once counted: right after a filter changes it says Loading… or Counting… first.
  const total = async () => Number((await page.getByTestId('roster-total').filter({ hasText: /Records: [\d,]+/ }).innerText()).match(/Records: ([\d,]+)/)[1].replace(/,/g, ''))
  const everyone = await total()
  await page.getByTestId('roster-filter-school').click()
  const school = page.locator('.n-base-select-option').first()
  const schoolName = (await school.innerText()).trim()
  await school.click()
  await page.waitForFunction((n) => !document.querySelector('[data-testid="roster-total"]')?.textContent?.includes(`Records: ${n}`), everyone.toLocaleString('en-US'))
  const atSchool = await total()
  await page.getByTestId('roster-filter-status').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Active$/ }).click()
  await page.waitForFunction((n) => !document.querySelector('[data-testid="roster-total"]')?.textContent?.includes(`Records: ${n}`), atSchool.toLocaleString('en-US'))
  const n = await total()
  assert.ok(n > 0 && n < atSchool && atSchool < everyone, `the active users of ${schoolName}: ${n} of ${atSchool}, of ${everyone} in all`)
  await page.getByTestId('roster-tick-all').click()
  await page.getByTestId('roster-ticked').filter({ hasText: `${n.toLocaleString('en-US')} ticked` }).waitFor()
  await shot('40-roster-filtered-ticked')

  const drop = join(dir, 'vendor')
  const zipsBefore = readdirSync(drop).filter((f) => f.endsWith('.zip')).length
  await page.getByTestId('roster-send').click()
  await page.getByTestId('send-target').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Vendor drop$/ }).click()
  assert.match(await page.getByTestId('send-what').innerText(), new RegExp(`^${n.toLocaleString('en-US')} users will be sent to Vendor drop`))
  await page.getByTestId('send-start').click()
  const result = page.getByTestId('send-records').getByTestId('job-result')
  await result.filter({ hasText: /succeeded/ }).waitFor({ timeout: 30000 })
  await shot('41-roster-sent')
  // The drop has had every record since the export above: the chosen users and what they depend on
  // (their schools and district, roles, demographics) are there, unchanged, so no new file is written.
  const users = await countsOf(result, 'Users')
  assert.deepEqual(users, { created: 0, updated: 0, deleted: 0, unchanged: n, skipped: 0, failed: 0 }, 'each filtered user, and only they')
  for (const entity of ['Orgs', 'Roles']) {
    const c = await countsOf(result, entity)
    assert.ok(c.unchanged >= 1 && c.deleted === 0, `${entity} they depend on go with them: ${JSON.stringify(c)}`)
  }
  assert.match(await result.innerText(), /Nothing changed since the last export/)
  assert.equal(readdirSync(drop).filter((f) => f.endsWith('.zip')).length, zipsBefore)
  await page.getByTestId('send-close').click()
  await page.getByTestId('roster-clear').click()

  // The vendor drop sends no org (saved in its wizard), then the Orgs tab adds the district and its
  // live school; the school the held import marked tobedeleted is passed over.
  await page.getByTestId('nav-dashboard').click()
  await openSelection('Vendor drop')
  await page.getByTestId('pick-none').click()
  await page.getByTestId('wizard-save').click()
  await page.getByTestId('wizard-unsaved').waitFor({ state: 'detached' })
  const [, of] = await chosen()
  await page.getByTestId('wizard-close').click()
  await wizard().waitFor({ state: 'detached' })
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-orgs').click()
  await page.getByTestId('roster-row').first().locator('.cell').first().filter({ hasText: /^org-/ }).waitFor()
  const rows = await page.getByTestId('roster-row').evaluateAll((rs) => rs.map((r) => [...r.querySelectorAll('.cell')].map((c) => c.textContent.trim())))
  const live = rows.filter((r) => r.at(-1) !== 'tobedeleted').map((r) => r[0])
  const deleted = rows.filter((r) => r.at(-1) === 'tobedeleted').map((r) => r[0])
  assert.deepEqual([live.length, deleted.length], [2, 1], `the district, a live school and one being deleted: ${JSON.stringify(rows)}`)
  await page.getByTestId('roster-tick-all').click()
  await page.getByTestId('roster-ticked').filter({ hasText: '3 ticked' }).waitFor()
  await page.getByTestId('roster-set-sync').click()
  await page.getByTestId('sync-connection-target').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Vendor drop$/ }).click()
  const change = page.getByTestId('sync-connection-change')
  await change.filter({ hasText: `2 orgs are added to what Vendor drop sends: ${live.join(', ')}.` }).waitFor()
  assert.match(await change.innerText(), new RegExp(`One is passed over, being deleted in the roster \\(or no longer in it\\): ${deleted[0]}\\.`))
  await page.locator('.n-base-select-menu:visible').waitFor({ state: 'detached' }) // the menu fades out
  await shot('42-set-sync-connection')
  await page.getByTestId('sync-connection-confirm').click()
  await page.getByTestId('sync-connection-done').waitFor()
  await page.getByTestId('sync-connection-close').click()
  await page.getByTestId('sync-connection').waitFor({ state: 'detached' })

  await page.getByTestId('nav-dashboard').click()
  await openSelection('Vendor drop')
  assert.deepEqual(await chosen(), [2, of], 'the wizard shows the two orgs chosen')
  for (const id of live) {
    assert.equal(await page.locator(`[data-testid="pick-row"][data-id="${id}"] .n-checkbox--checked`).count(), 1, `${id} is ticked in the wizard`)
  }
  await page.getByTestId('wizard-close').click()
  await wizard().waitFor({ state: 'detached' })
})

// Last, as it ends the app. The desktop window's close (its button, Alt+F4, Cmd+Q) cannot be clicked
// from this browser: the test plays the event the backend's beforeClose sends when the window holds
// changes not saved, then checks that Save stores them and really quits the app.
test('quitting the window with selection changes not saved asks; Stay keeps the app, Save stores them and quits', async () => {
  await openSelection('Export with defects') // fetched again by the test before
  await page.getByTestId('wizard-next').click()
  await page.getByText('Choose the classes that go through').waitFor()
  await page.getByTestId('pick-row').first().waitFor()
  const [, of] = await chosen()
  await page.getByTestId('pick-none').click()
  await page.getByTestId('wizard-unsaved').waitFor()
  const closeWindow = () => page.evaluate(() => window.wails.EventsNotify(JSON.stringify({ name: 'window:close-asked', data: [] })))

  await closeWindow()
  await page.getByTestId('unsaved-stay').waitFor()
  await page.waitForTimeout(300) // the question fades in
  await shot('22-quit-unsaved')
  await page.getByTestId('unsaved-stay').click()
  await page.getByTestId('unsaved').waitFor({ state: 'detached' })
  assert.deepEqual(await chosen(), [0, of], 'Stay keeps the changes')
  await new Promise((r) => setTimeout(r, 500))
  assert.equal(app.proc.exitCode, null, 'Stay keeps the app running')
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')

  await closeWindow()
  const exited = new Promise((ok) => app.proc.once('exit', ok))
  await page.getByTestId('unsaved-save').click()
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 15000))])
  assert.equal(code, 0, 'Save quits the app')
  const out = JSON.parse(execFileSync(bin, ['--workspace', join(dir, 'workspace.db'), '--json', 'select', 'Export with defects']).toString())
  assert.equal(out.selection.classesAll, false)
  assert.deepEqual(out.selection.classes ?? [], [], 'the changes were saved before quitting')
  const prefs = JSON.parse(readFileSync(join(dir, 'config', 'Rosterdesk', 'settings.json'), 'utf8'))
  assert.ok(prefs.window?.width > 0, `the window's geometry is remembered on quitting: ${JSON.stringify(prefs)}`)
})
