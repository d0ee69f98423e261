// Settings → Workspace in the real app (see harness.mjs): Check workspace reads the workspace the
// window has open and says it is sound; Back up workspace… shows the bytes it copies and stops on
// Cancel, leaving no file, even after the registrar has been to another screen and back; run to the
// end while the registrar is elsewhere, it writes a copy (the save dialog stood in for) that Settings
// shows on return and the command line checks and opens as a workspace, while the window stays open.
// A table of 500 MB of blank pages, beside a small district, makes a backup last long enough for its
// progress to show (with 20,000 people, 40 MB, it sometimes ended first), for a fraction of the
// import's time.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, shot, pageErrors

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '5')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli(dir, 'import', 'District')
  execFileSync('sqlite3', [join(dir, 'workspace.db'), `CREATE TABLE e2e_padding(b BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO e2e_padding SELECT zeroblob(1000000) FROM n;
    PRAGMA wal_checkpoint(TRUNCATE);`])
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
  await section.getByTestId('workspace-check-ok').waitFor({ timeout: 120000 }) // it reads 500 MB, slowly on a loaded machine
  assert.match(await section.getByTestId('workspace-care-status').textContent(), /The workspace is sound/)
  await accessible(page, 'Settings with a workspace checked')
  await shot('workspace-check')
})

async function waitUntil(ok, ms) {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > end) throw new Error(`not so after ${ms} ms`)
  }
}

// The native save dialog cannot be driven in a browser: its binding answers with the file instead.
const chooseBackupFile = (file) => page.evaluate((f) => { window.go.api.WorkspaceAPI.ChooseBackupFile = async () => f }, file)

test('Back up workspace… shows what it has copied and the time taken; Cancel stops it and leaves no file; axe-clean', async () => {
  const folder = join(dir, 'cancelled')
  await chooseBackupFile(join(folder, 'district backup.db'))
  const section = page.getByTestId('settings-workspace')
  await section.getByRole('button', { name: 'Back up workspace…' }).click()
  const progress = section.getByTestId('workspace-care-progress')
  await progress.getByText('Copying the workspace').waitFor()
  // To the dashboard and back while it copies: its progress, time and Cancel are there again. The
  // copy of 500 MB takes about a second here, less than the visit, so the app is held still
  // (SIGSTOP) meanwhile and the Cancel clicked then reaches it as it goes on.
  app.proc.kill('SIGSTOP')
  let shown
  try {
    await page.getByTestId('nav-dashboard').click()
    await section.waitFor({ state: 'detached' })
    await page.getByTestId('nav-settings').click()
    shown = await progress.textContent()
    await progress.getByRole('button', { name: 'Cancel' }).click()
  } finally {
    app.proc.kill('SIGCONT')
  }
  assert.match(shown, /\d+(\.\d)? [KMG]?B \/ \d+(\.\d)? MB/) // bytes() writes KB, MB, GB
  assert.match(shown, /Elapsed 0:\d\d/)
  const cancelled = section.getByTestId('workspace-backup-cancelled')
  await cancelled.waitFor()
  assert.equal(await cancelled.textContent(), 'Cancelled: no backup was written.')
  assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], [], 'no backup file, nor its temporary copy')
  await accessible(page, 'Settings with a backup cancelled')
  await shot('workspace-backup-cancelled')
})

test('Back up workspace… writes the file chosen, which checks sound and opens as a workspace', async () => {
  const file = join(dir, 'backups', 'district backup.db')
  assert.match(cli(dir, 'workspace', 'backup', join(dir, 'backups', 'first.db')), /Backed up/) // the command line too, into a new folder, with the window open
  await chooseBackupFile(file)
  const section = page.getByTestId('settings-workspace')
  await section.getByRole('button', { name: 'Back up workspace…' }).click()
  await section.getByTestId('workspace-care-progress').waitFor()
  await shot('workspace-backup-progress')
  // Away until the file is in place (the backup's last step), then back: its result is shown.
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('connection-card').first().waitFor()
  await waitUntil(() => existsSync(file), 120000) // 500 MB, slowly on a loaded machine
  await page.getByTestId('nav-settings').click()
  const done = section.getByTestId('workspace-backup-done')
  await done.waitFor({ timeout: 120000 }) // 500 MB, slowly on a loaded machine
  assert.match(await done.textContent(), /Backed up \(\d/)
  assert.equal(await done.getByTestId('saved-path').textContent(), file)
  assert.ok(existsSync(file), 'the backup file is there')
  assert.match(cli(dir, 'workspace', 'check', '--workspace', file), /: ok\./)
  assert.match(cli(dir, 'roster', 'counts', '--workspace', file), /users/)
  await accessible(page, 'Settings with a backup taken')
  await shot('workspace-backup')
  assert.deepEqual(pageErrors, [])
})
