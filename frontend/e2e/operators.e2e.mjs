// Operators and rights in the real app: the workspace's first operator (Full) adds a Limited one in
// Settings → Operators; the app then runs as the Limited operator, who is refused a connection edit
// with the service's message naming the right, finds Clear history greyed out, and still imports.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page

// as makes the next app or command run as operator (a development build honours ROSTERDESK_OPERATOR).
const as = (operator) => { process.env.ROSTERDESK_OPERATOR = operator }

before(async () => {
  dir = tempDir()
  as('ada')
  const zip = join(dir, 'district.zip')
  cli(dir, 'generate', '--out', zip, '--users', '120', '--seed', '5')
  cli(dir, 'connection', 'add', 'District SIS', '--kind', 'oneroster-csv', '--set', `path=${zip}`)
  cli(dir, 'import', 'District SIS')
  app = await startApp(dir)
  page = app.page
})

after(async () => {
  await app?.stop()
  delete process.env.ROSTERDESK_OPERATOR
  if (dir) removeDir(dir)
})

const row = (name) => page.getByTestId('operator-row').filter({ has: page.getByTestId('operator-name').getByText(name, { exact: true }) })

test('the first operator is Full and adds a Limited operator in Settings → Operators', async () => {
  await page.getByTestId('nav-settings').click()
  const section = page.getByTestId('settings-operators')
  await section.getByTestId('operators-me').filter({ hasText: 'You are ada, a Full operator.' }).waitFor()
  assert.match(await row('ada').innerText(), /you/)
  await section.getByTestId('operator-add-name').locator('input').fill('lin')
  await section.getByTestId('operator-add-role').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Limited$/ }).click()
  await section.getByTestId('operator-add-button').focus()
  await page.keyboard.press('Enter')
  await row('lin').waitFor()
  assert.match(await row('lin').innerText(), /by ada/)
  assert.match(cli(dir, 'operator', 'list'), /lin\s+Limited/)
  await app.shot('operators-full')
  await accessible(page, 'Settings → Operators as a Full operator')
})

test('a Limited operator is refused a connection edit, with the right named, cannot clear the history, and still imports', async () => {
  await app.stop()
  as('lin')
  app = await startApp(dir)
  page = app.page

  // Editing a connection: the service refuses, the form says why.
  const card = page.getByTestId('connection-card').filter({ hasText: 'District SIS' })
  await card.getByTestId('card-edit').click()
  await page.getByTestId('conn-submit').click()
  const refusal = page.getByTestId('conn-error')
  await refusal.waitFor()
  assert.match(await refusal.innerText(), /This needs the Write right on Connections\. Your role, Limited \(operator lin\), does not have it: ask a Full operator/)
  await app.shot('operators-limited-refused')
  await page.keyboard.press('Escape')

  // Settings → Operators: greyed out, and saying so.
  await page.getByTestId('nav-settings').click()
  const section = page.getByTestId('settings-operators')
  await section.getByTestId('operators-me').filter({ hasText: 'You are lin, a Limited operator. Only a Full operator changes who may do what.' }).waitFor()
  assert.equal(await section.getByTestId('operator-add-button').isDisabled(), true)
  assert.equal(await row('ada').getByTestId('operator-remove').isDisabled(), true)

  // History: Clear is greyed out; the command line refuses it with exit status 5.
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-row').first().waitFor()
  assert.equal(await page.getByTestId('history-clear').isDisabled(), true)
  assert.throws(() => cli(dir, 'runs', 'clear', '--yes'), (e) => e.status === 5 && /Delete right on History/.test(e.stderr.toString()))
  await accessible(page, 'History as a Limited operator')

  // An import is theirs to run.
  await page.getByTestId('nav-dashboard').click()
  await card.getByTestId('card-import').click()
  await page.getByTestId('job-result').filter({ hasText: /succeeded/i }).waitFor({ timeout: 60000 })
  const runs = JSON.parse(cli(dir, 'runs', 'list', '--json'))
  const last = (runs.runs ?? runs)[0]
  assert.equal(last.operator, 'lin')
  assert.equal(last.status, 'succeeded')
  assert.deepEqual(app.pageErrors, [])
})
