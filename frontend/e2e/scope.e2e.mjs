// Selection and mapping per integration, in the real app (see harness.mjs): a source with two import
// integrations, its own ("Import from District") and "Lincoln only" added with the CLI. Choose data…
// on the second's row opens the wizard on it, titled so, and what it saves changes only its
// selection; its Mapping… opens the Mapping screen on it; the Add dialog shows the safety hold and
// says where a new integration's setup comes from.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, shot

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '200', '--seed', '4')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli(dir, 'import', 'District')
  cli(dir, 'integration', 'add', 'Lincoln only', '--type', 'import', '--source', 'District')
  app = await startApp(dir)
  ;({ page, shot } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const row = (name) => page.getByTestId('integration-row').filter({ has: page.getByText(name, { exact: true }) })
const statuses = (name) => JSON.parse(cli(dir, 'select', name, '--json')).selection.statuses

test('each integration row offers Choose data… and Mapping…; axe-clean', async () => {
  await page.getByTestId('connection-card').first().waitFor()
  await page.keyboard.press('Control+8')
  await row('Lincoln only').waitFor()
  for (const name of ['Import from District', 'Lincoln only']) {
    assert.equal(await row(name).getByTestId('integration-choose-data').getAttribute('aria-label'), `Choose data… for ${name}`)
    assert.equal(await row(name).getByTestId('integration-mapping').getAttribute('aria-label'), `Mapping… for ${name}`)
  }
  await accessible(page, 'the Integrations page with its setup buttons')
})

test('Choose data… on the second integration opens the wizard on it; what it saves changes its selection only', async () => {
  const before = statuses('Import from District')
  await row('Lincoln only').getByTestId('integration-choose-data').click()
  const title = page.getByTestId('wizard-title')
  await page.getByTestId('total-users').waitFor()
  assert.equal((await title.innerText()).trim(), 'Choose what Lincoln only lets through — District')
  await accessible(page, 'the wizard on an integration')
  await shot('scope-01-wizard')
  await page.getByTestId('wizard-step-users').click()
  await page.getByTestId('status-deleted').waitFor()
  await page.getByTestId('status-deleted').click()
  await page.getByTestId('wizard-save').click()
  await page.getByTestId('wizard-unsaved').waitFor({ state: 'detached' })
  assert.ok(!statuses('Lincoln only').includes('deleted'), 'Lincoln only lets deleted users through no more')
  assert.deepEqual(statuses('Import from District'), before, 'the connection’s own integration is as it was')
  await page.getByTestId('wizard-close').click()
  await page.getByTestId('wizard').waitFor({ state: 'detached' })
})

test('Mapping… on the second integration opens the Mapping screen on it; axe-clean', async () => {
  await page.keyboard.press('Control+8')
  await row('Lincoln only').getByTestId('integration-mapping').click()
  const picker = page.getByTestId('mapping-target')
  await page.getByTestId('mapping-entity-users').waitFor()
  assert.equal((await picker.innerText()).trim(), 'Lincoln only')
  await page.getByTestId('mapping-row').first().waitFor()
  await accessible(page, 'the Mapping screen on an integration')
  await shot('scope-02-mapping')
})

test('the Add dialog shows the safety hold, copied from the connection’s own, and says where the setup comes from', async () => {
  await page.keyboard.press('Control+8')
  await page.getByTestId('integration-add').click()
  const dialog = page.getByTestId('integration-dialog')
  await dialog.getByTestId('integration-holdDelete').waitFor()
  assert.match(await dialog.getByTestId('integration-shared').innerText(), /starts with a copy of what Import from District lets through/)
  assert.equal(await dialog.getByTestId('integration-holdDelete').locator('input').inputValue(), '10')
  assert.equal(await dialog.getByTestId('integration-holdChange').locator('input').inputValue(), '75')
  await page.waitForTimeout(400) // the dialog's entrance
  await accessible(page, 'the Add integration dialog with its safety hold')
  await shot('scope-03-add-dialog')
  await dialog.getByTestId('integration-cancel').click()
})
