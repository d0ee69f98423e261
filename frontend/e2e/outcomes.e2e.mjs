// Run outcomes as data in the real app (see harness.mjs): a generated district is read from a folder,
// imported with the CLI, then its first student is renamed Anna in users.csv and imported again.
// History lists each run's mode and operator; the second run's page shows both, and its record of the
// changed field reads the sentence the window builds from the stored reason, before and after
// (givenName: "Valentina" → "Anna"); the CLI's report carries the raw reason, before and after.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, renamed, given

before(async () => {
  dir = tempDir()
  const folder = join(dir, 'sis')
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '20', '--seed', '3')
  execFileSync('unzip', ['-q', join(dir, 'district.zip'), '-d', folder])
  cli(dir, 'connection', 'add', 'District SIS', '--kind', 'oneroster-csv', '--set', `path=${folder}`)
  cli(dir, 'import', 'District SIS')
  // The first student (usr-000001, whose row quotes nothing) is renamed Anna at the source.
  const users = join(folder, 'users.csv')
  const [header, first, ...rest] = readFileSync(users, 'utf8').split('\n')
  const at = header.split(',').indexOf('givenName')
  const cells = first.split(',')
  given = cells[at]
  cells[at] = 'Anna'
  writeFileSync(users, [header, cells.join(','), ...rest].join('\n'))
  cli(dir, 'fetch', 'District SIS')
  renamed = JSON.parse(cli(dir, 'import', 'District SIS', '--json')).run
  app = await startApp(dir)
  page = app.page
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const drawer = () => page.locator('.n-drawer')

test('History lists each run\'s mode and operator; a run\'s page shows both and builds the sentence of a changed field from its data', async () => {
  await page.getByTestId('nav-history').click()
  const rows = page.getByTestId('history-row')
  await rows.nth(1).waitFor()
  assert.deepEqual(await rows.getByTestId('history-mode').allInnerTexts(), ['Full', 'Full'])
  const operators = await rows.getByTestId('history-operator').allInnerTexts()
  assert.equal(operators.length, 2)
  assert.ok(operators.every((o) => o.trim() !== ''), `each run names its operator: ${operators}`)
  await accessible(page, 'History with its Mode and Operator columns')
  await app.shot('outcomes-01-history')

  await rows.first().click() // the newest: the one that renamed the student
  await drawer().locator('.n-drawer-header').filter({ hasText: new RegExp(`Run ${renamed}\\b`) }).waitFor()
  assert.equal((await drawer().getByTestId('run-mode').innerText()).trim(), 'Full')
  assert.equal((await drawer().getByTestId('run-operator').innerText()).trim(), operators[0].trim())
  const change = drawer().getByTestId('record-row').filter({ hasText: 'givenName' })
  await change.waitFor()
  assert.match(await change.innerText(), new RegExp(`usr-000001\\s+update\\s+givenName\\s+givenName: "${given}" → "Anna"`))
  await accessible(page, 'a run\'s page with its mode, operator and built sentences')
  await app.shot('outcomes-02-run')
  await page.keyboard.press('Escape')
  assert.deepEqual(app.pageErrors, [])
})

test('the report of the run carries the raw reason, before and after beside the sentence', () => {
  const out = join(dir, 'report.csv')
  cli(dir, 'runs', 'report', String(renamed), '--format', 'csv', '--out', out)
  const lines = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  assert.equal(lines[0], 'entity,sourcedId,action,status,field,details,reason,before,after')
  assert.ok(lines.includes(`users,usr-000001,update,ok,givenName,"givenName: ""${given}"" → ""Anna""",changed,${given},Anna`), lines.join('\n'))
})
