// Settings → Workspace in the real app (see harness.mjs): Check workspace reads the workspace the
// window has open and says it is sound; Back up workspace… writes a copy (the save dialog stood in
// for) that the command line then checks and opens as a workspace, while the window stays open.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, shot, pageErrors

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '5')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli(dir, 'import', 'District')
  app = await startApp(dir)
  ;({ page, shot, pageErrors } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

test('Settings → Check workspace says the workspace is sound; axe-clean', async () => {
  await page.getByTestId('connection-card').first().waitFor()
  await page.getByTestId('nav-settings').click()
  const section = page.getByTestId('settings-workspace')
  await section.scrollIntoViewIfNeeded()
  const check = section.getByRole('button', { name: 'Check workspace' })
  await check.focus()
  await page.keyboard.press('Enter')
  await section.getByTestId('workspace-check-ok').waitFor()
  assert.match(await section.getByTestId('workspace-care-status').textContent(), /The workspace is sound/)
  await accessible(page, 'Settings with a workspace checked')
  await shot('workspace-check')
})

test('Back up workspace… writes the file chosen, which checks sound and opens as a workspace', async () => {
  const file = join(dir, 'backups', 'district backup.db')
  assert.match(cli(dir, 'workspace', 'backup', join(dir, 'backups', 'first.db')), /Backed up/) // the command line too, into a new folder, with the window open
  // The native save dialog cannot be driven in a browser: its binding answers with the file instead.
  await page.evaluate((f) => { window.go.api.WorkspaceAPI.ChooseBackupFile = async () => f }, file)
  const section = page.getByTestId('settings-workspace')
  await section.getByRole('button', { name: 'Back up workspace…' }).click()
  const done = section.getByTestId('workspace-backup-done')
  await done.waitFor()
  assert.match(await done.textContent(), /Backed up \(\d/)
  assert.equal(await done.getByTestId('saved-path').textContent(), file)
  assert.ok(existsSync(file), 'the backup file is there')
  assert.match(cli(dir, 'workspace', 'check', '--workspace', file), /: ok\./)
  assert.match(cli(dir, 'roster', 'counts', '--workspace', file), /users/)
  await accessible(page, 'Settings with a backup taken')
  await shot('workspace-backup')
  assert.deepEqual(pageErrors, [])
})
