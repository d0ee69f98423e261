// The Integrations page in the real app (see harness.mjs): a workspace prepared with the CLI (a
// generated district ZIP as a source), its default integration, a scheduled import added through the
// dialog, run now, seen in its row and in History; two-way syncs with folders (the first one asking
// which side is the starting truth, then a field changed on both sides waiting for review); a scheduled
// run that failed on the dashboard card; turned off and deleted; Settings' "Run on schedule when
// Rosterdesk is closed" on a stand-in crontab. Then, in a workspace of its own, a run the window's
// scheduler starts by itself: its progress on the card and the row, its result, marked scheduled in History.
import { test, before, after, describe } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, shot, pageErrors
const crontabFile = () => join(dir, 'crontab.txt')

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '5')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  // The app registers with `crontab` on Linux: a stand-in first on its PATH keeps this computer's
  // crontab untouched and lets the test read what was registered.
  const bin = join(dir, 'fakebin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'crontab'), `#!/bin/sh
f='${crontabFile()}'
case "$1" in
  -l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab for $(id -un)" >&2; exit 1; fi ;;
  -r) rm -f "$f" ;;
  -) cat > "$f" ;;
esac
`)
  chmodSync(join(bin, 'crontab'), 0o755)
  process.env.PATH = `${bin}:${process.env.PATH}`
  app = await startApp(dir)
  ;({ page, shot, pageErrors } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const row = (name) => page.getByTestId('integration-row').filter({ has: page.getByText(name, { exact: true }) })
const NIGHTLY = 'Nightly District import'

test('Ctrl+8 opens Integrations, listing the connection’s own import, by hand, never run; axe-clean', async () => {
  await page.getByTestId('connection-card').first().waitFor()
  await page.keyboard.press('Control+8')
  const r = row('Import from District')
  await r.waitFor()
  assert.equal(await page.getByTestId('nav-integrations').getAttribute('aria-current'), 'page')
  assert.equal(await r.getByTestId('integration-type-cell').innerText(), 'Import')
  assert.match(await r.innerText(), /District\s+Roster/)
  assert.match(await r.getByTestId('integration-state').innerText(), /On/)
  assert.equal(await r.getByTestId('integration-last-run').innerText(), 'Never')
  assert.equal(await r.getByTestId('integration-next-run').innerText(), 'By hand')
  await accessible(page, 'the Integrations page')
  await shot('integrations-01-page')
})

test('Add integration: a daily import built in the dialog, its description and next runs shown live, then its next run in the row', async () => {
  await page.getByTestId('integration-add').click()
  const dialog = page.getByTestId('integration-dialog')
  await dialog.getByTestId('integration-name').locator('input').fill(NIGHTLY)
  // The one source is chosen; every entity task is ticked.
  assert.equal(await dialog.getByTestId('integration-connection').innerText(), 'District')
  assert.equal(await dialog.locator('[data-testid^="integration-task-"].n-checkbox--checked').count(), 9)
  assert.match(await dialog.getByTestId('integration-shared').innerText(), /starts with a copy of what Import from District lets through/)
  await dialog.getByTestId('schedule-daily').click()
  const time = dialog.getByTestId('schedule-time').locator('input')
  await time.fill('25:00')
  await dialog.getByTestId('schedule-error').waitFor()
  assert.equal(await dialog.getByTestId('integration-submit').isDisabled(), true)
  await time.fill('02:30')
  await dialog.getByTestId('schedule-describe').waitFor()
  assert.match(await dialog.getByTestId('schedule-describe').innerText(), /02:30/)
  const next = await dialog.getByTestId('schedule-next').innerText()
  assert.equal(next.split(' · ').length, 3, next)
  await page.waitForTimeout(400) // the dialog's entrance
  await accessible(page, 'the Add integration dialog')
  await shot('integrations-02-dialog')
  await dialog.getByTestId('integration-submit').click()
  await dialog.waitFor({ state: 'hidden' })
  const r = row(NIGHTLY)
  await r.waitFor()
  assert.match(await r.getByTestId('integration-schedule').innerText(), /02:30/)
  // The next run is the next 02:30 of this computer's day.
  const expected = new Date()
  if (expected.getHours() * 60 + expected.getMinutes() >= 150) expected.setDate(expected.getDate() + 1)
  expected.setHours(2, 30, 0, 0)
  const shown = await r.getByTestId('integration-next-run').innerText()
  assert.equal(shown, new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(expected))
})

test('Run now shows the run’s progress and result; its row and History show it succeeded', async () => {
  const r = row(NIGHTLY)
  await r.getByTestId('integration-run').click()
  const dialog = page.getByTestId('integration-run-dialog')
  await dialog.getByTestId('job-result').filter({ hasText: /succeeded/ }).waitFor({ timeout: 60000 })
  await shot('integrations-03-run')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await r.getByTestId('integration-last-run').filter({ hasText: /succeeded/ }).waitFor()
  await r.getByTestId('integration-open-run').click()
  await page.getByTestId('history-row').first().waitFor()
  const drawer = page.locator('.n-drawer')
  await drawer.waitFor()
  assert.match(await drawer.innerText(), /Run \d+ succeeded/)
  assert.match(await page.getByTestId('history-row').first().innerText(), /District\s+import/)
  await page.keyboard.press('Escape')
})

// rename changes a user's given name in a folder's users.csv (the other system's side of a sync).
function rename(folder, id, from, to) {
  const file = join(dir, folder, 'users.csv')
  const text = readFileSync(file, 'utf8')
  const changed = text.replace(new RegExp(`^(${id},.*?,)${from},`, 'm'), `$1${to},`)
  assert.notEqual(changed, text, `${id} is ${from} in ${folder}`)
  writeFileSync(file, changed)
}

// runNow runs an integration from its row and waits for the run's result in the dialog.
async function runNow(name, result = /succeeded/) {
  await row(name).getByTestId('integration-run').click()
  const dialog = page.getByTestId('integration-run-dialog')
  await dialog.getByTestId('job-result').filter({ hasText: result }).waitFor({ timeout: 60000 })
  return dialog
}

test('a first two-way sync with data on both sides asks which side is the starting truth, then runs with the answer', async () => {
  // Folder A is filled by its first sync (an empty side is simply filled); B starts as a copy of it.
  mkdirSync(join(dir, 'a'))
  cli(dir, 'connection', 'add', 'Folder A', '--kind', 'oneroster-csv', '--role', 'both', '--set', `path=${join(dir, 'a')}`)
  cli(dir, 'integration', 'add', 'Sync A', '--type', 'sync', '--connection', 'Folder A', '--conflict', 'ask')
  cli(dir, 'integration', 'run', 'Sync A')
  cpSync(join(dir, 'a'), join(dir, 'b'), { recursive: true })
  cli(dir, 'connection', 'add', 'Folder B', '--kind', 'oneroster-csv', '--role', 'both', '--set', `path=${join(dir, 'b')}`)
  await page.keyboard.press('Control+1')
  await page.keyboard.press('Control+8')
  await row('Sync A').waitFor()
  await page.getByTestId('integration-add').click()
  const form = page.getByTestId('integration-dialog')
  await form.getByTestId('integration-name').locator('input').fill('Sync B')
  await form.getByTestId('integration-type-sync').click()
  await form.getByTestId('integration-connection').click()
  await page.locator('.n-base-select-option').filter({ hasText: 'Folder B' }).click()
  await form.locator('[data-testid="integration-conflict-workspace"].n-radio--checked').waitFor() // the roster wins by default
  await form.getByTestId('schedule-describe').waitFor()
  await form.getByTestId('integration-submit').click()
  await form.waitFor({ state: 'hidden' })
  await row('Sync B').getByTestId('integration-run').click()
  const dialog = page.getByTestId('integration-run-dialog')
  await dialog.getByTestId('integration-initial').waitFor({ timeout: 60000 })
  assert.match(await dialog.innerText(), /The roster and Folder B both hold data and have never been synced/)
  await page.waitForTimeout(400) // the dialog's entrance
  await accessible(page, 'the starting-truth question')
  await shot('integrations-06-initial')
  await dialog.getByTestId('integration-initial-workspace').click()
  await dialog.getByTestId('job-result').filter({ hasText: /succeeded/ }).waitFor({ timeout: 60000 })
  await page.keyboard.press('Escape')
  await row('Sync B').getByTestId('integration-last-run').filter({ hasText: /succeeded/ }).waitFor()
})

test('a field changed on both sides of an "ask" sync waits in its conflicts; the registrar keeps one side', async () => {
  // B's change reaches the roster; A changes the same field otherwise meanwhile.
  rename('b', 'usr-000001', 'Joshua', 'Josie')
  await runNow('Sync B')
  await page.keyboard.press('Escape')
  rename('a', 'usr-000001', 'Joshua', 'Joss')
  const dialog = await runNow('Sync A')
  assert.match(await dialog.innerText(), /1 conflicts? wait/)
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await row('Sync A').getByTestId('integration-conflicts').click()
  const conflict = page.getByTestId('sync-conflict')
  await conflict.waitFor()
  assert.match(await conflict.innerText(), /usr-000001\s+givenName\s+Josie\s+Joss\s+Joshua/)
  await page.waitForTimeout(400) // the drawer slides in
  await accessible(page, 'the conflicts waiting')
  await shot('integrations-07-conflicts')
  await conflict.getByTestId('sync-conflict-keep-external').click()
  await conflict.getByTestId('sync-conflict-chosen').waitFor()
  await page.keyboard.press('Escape')
})

test('a scheduled run that failed shows on the connection’s card, leading to History; the card says when the next run is', async () => {
  // The source's file is gone when the schedule runs (run-due from a second process, as the computer's scheduler would).
  renameSync(join(dir, 'district.zip'), join(dir, 'away.zip'))
  const now = new Date()
  now.setDate(now.getDate() + 1)
  const at = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')} 02:31`
  const out = cli(dir, 'schedule', 'run-due', '--now', at)
  assert.match(out, new RegExp(NIGHTLY))
  renameSync(join(dir, 'away.zip'), join(dir, 'district.zip'))
  await page.keyboard.press('Control+1')
  const card = page.getByTestId('connection-card').filter({ hasText: 'District' })
  const problem = card.getByTestId('card-scheduled-problem')
  await problem.waitFor()
  assert.match(await problem.innerText(), new RegExp(`Scheduled run of ${NIGHTLY} failed`))
  assert.match(await card.getByTestId('card-next-run').innerText(), new RegExp(`Next run: ${NIGHTLY}, `))
  await accessible(page, 'the dashboard with a failed scheduled run')
  await shot('integrations-04-card')
  await problem.getByTestId('card-scheduled-history').click()
  const drawer = page.locator('.n-drawer')
  await drawer.waitFor()
  assert.match(await drawer.innerText(), /Run \d+ failed/)
  await page.keyboard.press('Escape')
})

test('turned off, it has no next run; deleted (asked first, the connection stays), it leaves the list', async () => {
  await page.keyboard.press('Control+8')
  const r = row(NIGHTLY)
  await r.getByTestId('integration-toggle').click()
  await r.getByTestId('integration-state').filter({ hasText: 'Off' }).waitFor()
  assert.equal(await r.getByTestId('integration-next-run').innerText(), 'Off (turned off)')
  await r.getByTestId('integration-remove').click()
  const confirm = page.locator('.n-dialog').filter({ hasText: `Delete ${NIGHTLY}?` })
  await confirm.waitFor()
  assert.match(await confirm.innerText(), /its selection and its mappings are deleted. The connection District, its other integrations, the roster and the history all stay/)
  await page.waitForTimeout(400) // the dialog's entrance
  await accessible(page, 'the delete question')
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await r.waitFor({ state: 'detached' })
  await row('Import from District').waitFor()
  await page.keyboard.press('Control+1')
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
})

test('Settings: “Run on schedule when Rosterdesk is closed” shows what it registers before, then registers and removes it', async () => {
  await page.getByTestId('nav-settings').click()
  const section = page.getByTestId('os-schedule')
  await section.getByTestId('os-schedule-state').filter({ hasText: /^Off:/ }).waitFor()
  await section.getByTestId('os-schedule-on').click()
  const plan = page.getByTestId('os-schedule-plan')
  await plan.waitFor()
  assert.match(await plan.innerText(), /cron/)
  const command = await plan.getByTestId('os-schedule-command').innerText()
  assert.match(command, /schedule run-due/)
  assert.ok(!existsSync(crontabFile()), 'nothing is registered before the registrar agrees')
  await page.waitForTimeout(400) // the dialog's entrance
  await accessible(page, 'what would be registered')
  await shot('integrations-05-os-plan')
  await plan.getByTestId('os-schedule-register').click()
  await section.getByTestId('os-schedule-state').filter({ hasText: /^On:/ }).waitFor()
  assert.match(readFileSync(crontabFile(), 'utf8'), /schedule run-due/)
  await section.getByTestId('os-schedule-off').click()
  await section.getByTestId('os-schedule-state').filter({ hasText: /^Off:/ }).waitFor()
  assert.doesNotMatch(existsSync(crontabFile()) ? readFileSync(crontabFile(), 'utf8') : '', /run-due/)
})

test('Help lists Ctrl+8 for Integrations; no script error on the way', async () => {
  await page.keyboard.press('F1')
  assert.match(await page.getByTestId('help-shortcuts').innerText(), /Ctrl\+8\s+Integrations/)
  await page.keyboard.press('F1')
  assert.deepEqual(pageErrors, [])
})

// The window's scheduler runs a due integration by itself, as a job the window follows like a Run now.
// Its clock (ROSTERDESK_SCHEDULE_NOW, development builds) starts 15 s before the next 02:30, so the
// check at startup finds nothing due and the next one, 30 s on, runs the nightly import. The district
// is big enough (8,000 users) that the run takes seconds, and its progress can be seen.
describe('a scheduled run the window starts by itself', () => {
  const NIGHT = 'Night import'
  before(async () => {
    await app.stop() // one window at a time; the file's after() stops this one's and removes its folder
    app = null
    removeDir(dir)
    dir = tempDir()
    cli(dir, 'generate', '--out', join(dir, 'big.zip'), '--users', '16000', '--seed', '7')
    cli(dir, 'connection', 'add', 'Big District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'big.zip')}`)
    cli(dir, 'integration', 'add', NIGHT, '--type', 'import', '--source', 'Big District', '--schedule', 'daily 02:30')
    const slot = new Date()
    slot.setHours(2, 30, 0, 0)
    if (slot <= new Date()) slot.setDate(slot.getDate() + 1)
    process.env.ROSTERDESK_SCHEDULE_NOW = new Date(slot.getTime() - 10000).toISOString() // due 10 s after the start (checked every second)
    try {
      app = await startApp(dir)
    } finally {
      delete process.env.ROSTERDESK_SCHEDULE_NOW
    }
    ;({ page, shot, pageErrors } = app)
  })

  test('it starts by itself: the card shows its progress, the row shows it running and opens it, then the result', async () => {
    const card = page.getByTestId('connection-card').filter({ hasText: 'Big District' })
    const task = card.getByTestId('card-integration-task')
    await task.getByTestId('job-progress').waitFor({ timeout: 90000 })
    assert.match(await task.innerText(), new RegExp(`^Scheduled run of ${NIGHT}`))
    await shot('integrations-08-scheduled-card')
    // Straight to its row while it runs (axe, which waits for the page to settle, comes after).
    await page.keyboard.press('Control+8')
    const r = row(NIGHT)
    await r.getByTestId('integration-running').waitFor()
    await r.getByTestId('integration-progress').waitFor() // its bar, named for it
    assert.equal(await r.getByTestId('integration-progress').getAttribute('aria-label'), `How far the run of ${NIGHT} is`)
    await accessible(page, 'an integration with a scheduled run going')
    await r.getByTestId('integration-show').click()
    const dialog = page.getByTestId('integration-run-dialog')
    await dialog.getByTestId('job-result').filter({ hasText: /succeeded/ }).waitFor({ timeout: 60000 })
    assert.match(await dialog.innerText(), new RegExp(`Run of ${NIGHT}`))
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await r.getByTestId('integration-last-run').filter({ hasText: /succeeded/ }).waitFor()
    await page.keyboard.press('Control+1')
    await task.getByTestId('card-task-outcome').filter({ hasText: /^Run \d+: / }).waitFor()
    assert.match(await task.innerText(), /succeeded/)
    await task.getByTestId('card-task-open').click()
    const result = page.getByTestId('card-integration-dialog')
    await result.getByTestId('job-result').waitFor()
    assert.match(await result.innerText(), new RegExp(`Scheduled run of ${NIGHT}`))
    await page.waitForTimeout(400) // the dialog's entrance
    await accessible(page, 'a scheduled run’s result from its card')
    await shot('integrations-09-scheduled-result')
    await page.keyboard.press('Escape')
    await result.waitFor({ state: 'hidden' })
  })

  test('History marks the run as scheduled', async () => {
    await page.keyboard.press('Control+8')
    await row(NIGHT).getByTestId('integration-open-run').click()
    const first = page.getByTestId('history-row').first()
    await first.waitFor()
    assert.match(await first.innerText(), new RegExp(`Big District\\s+${NIGHT}`))
    await first.getByTestId('history-scheduled').waitFor()
    await page.keyboard.press('Escape')
    assert.deepEqual(pageErrors, [])
  })
})
