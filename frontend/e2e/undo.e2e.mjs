// Undo an import run in the real app: a source's student is renamed and imported again; the second
// import is undone from its page in History (a confirmation with what comes back, then the undo's
// result), the run shows "Undone by #3" and the undo "Undo of #2", and the student's page in the
// roster shows her name as before the undone run.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, source

// writeSource writes the source's folder: a school and its students (users.csv rows after the header).
function writeSource(students) {
  const files = {
    'manifest.csv': 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\n' +
      'source.systemName,Test SIS\nsource.systemCode,T\n',
    'orgs.csv': 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\ns1,,,Evergreen Elementary School,school,S1,\n',
    'users.csv': 'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,' +
      'agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n' +
      students.map(([id, given, family]) => `${id},,,true,${id},,${given},${family},,${id},,,,,03,,,,,,s1,\n`).join(''),
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(source, name), text)
}

before(async () => {
  dir = tempDir()
  source = join(dir, 'sis')
  mkdirSync(source)
  writeSource([['u1', 'Ana', 'Lopez'], ['u2', 'Ben', 'Okafor']])
  cli(dir, 'connection', 'add', 'District SIS', '--kind', 'oneroster-csv', '--set', `path=${source}`)
  cli(dir, 'import', 'District SIS')
  writeSource([['u1', 'Anna', 'Lopez'], ['u2', 'Ben', 'Okafor']])
  cli(dir, 'fetch', 'District SIS')
  cli(dir, 'import', 'District SIS')
  app = await startApp(dir)
  page = app.page
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const drawer = () => page.locator('.n-drawer')
const dialog = () => page.getByTestId('undo-dialog')

test('the second import is undone from its page in History, after a confirmation saying what comes back', async () => {
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-search').locator('input').fill('#2')
  await page.getByTestId('history-row').filter({ hasText: /District SIS/ }).first().waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 1)
  await page.getByTestId('history-row').click()
  await drawer().locator('.n-drawer-header').filter({ hasText: /Run 2\b/ }).waitFor()
  const button = drawer().getByTestId('run-undo')
  await button.focus()
  assert.equal(await button.evaluate((el) => el === document.activeElement), true, 'the button takes the focus')
  await page.keyboard.press('Enter')
  await dialog().waitFor()
  assert.match(await dialog().innerText(), /Undo run 2\?/)
  assert.match(await dialog().getByTestId('undo-counts').innerText(), /Users\s+0\s+1 \(1\)\s+0\s+0/)
  await accessible(page, 'the undo confirmation')
  await app.shot('undo-01-confirm')

  await dialog().getByTestId('undo-confirm').click()
  await dialog().getByTestId('job-result').waitFor()
  assert.match(await dialog().getByTestId('job-result').innerText(), /Undid run #2\. users: 1 put back \(1 fields\)/)
  await app.shot('undo-02-result')
  await dialog().getByTestId('undo-close').click()
  await drawer().getByTestId('run-undone-by').filter({ hasText: 'Undone by #3' }).waitFor()
  assert.equal(await drawer().getByTestId('run-undo').count(), 0, 'an undone run offers no undo')
  await accessible(page, 'the undone run')
  await page.keyboard.press('Escape')
  await drawer().waitFor({ state: 'hidden' })

  // The undo is a run of its own, and cannot itself be undone. The search is cleared only once the run
  // page has closed (its closing gives the focus back to its row), and the list is waited for: every
  // run, the undo too, without the search.
  await page.getByTestId('history-search').locator('input').fill('')
  await page.waitForFunction(() => document.querySelector('[data-testid="history-search"] input')?.value === '')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 3)
  await page.getByTestId('history-row').filter({ hasText: /Undid run #2/ }).click()
  await drawer().getByTestId('run-undo-of').filter({ hasText: 'Undo of #2' }).waitFor()
  assert.match(await drawer().getByTestId('run-mode').innerText(), /Undo/)
  assert.equal(await drawer().getByTestId('run-undo').count(), 0, 'an undo offers no undo')
  await page.keyboard.press('Escape')
})

test('the student\'s page in the roster shows her name as before the undone import', async () => {
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-users').click()
  const row = page.getByTestId('roster-row').filter({ hasText: 'u1' }).first()
  await row.waitFor()
  await row.focus()
  await page.keyboard.press('Enter')
  const panel = page.getByTestId('record-panel')
  await panel.getByTestId('record-status').waitFor()
  const given = await panel.getByTestId('record-field').filter({ has: page.locator('td:first-child', { hasText: /^givenName$/ }) }).innerText()
  assert.match(given, /\bAna\b/)
  assert.doesNotMatch(given, /Anna/)
  await app.shot('undo-03-record')
})
