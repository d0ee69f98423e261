// The dashboard, Help and the keyboard, in the real app (see harness.mjs): a new workspace's welcome,
// Help, two sources added from the window, work started and left running while the registrar goes to
// other screens, and the roster summary leading to History, Conflicts and Duplicates.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { bin, tempDir, startApp, removeDir, accessible, closingText } from './harness.mjs'

let dir, app, page, shot

before(async () => {
  dir = tempDir()
  // A district big enough that its import takes a few seconds, with some students entered twice; a
  // second feed of it sends the same IDs with other names (fields in conflict).
  execFileSync(bin, ['generate', '--out', join(dir, 'district.zip'), '--users', '20000', '--seed', '7', '--duplicates', '0.02'])
  execFileSync(bin, ['generate', '--out', join(dir, 'feed.zip'), '--users', '2000', '--seed', '9'])
  app = await startApp(dir)
  ;({ page, shot } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

// focusRing says how the focused element shows the keyboard's place: its outline, its shadow, or (a
// text field) the field's focused border.
const focusRing = () => page.evaluate(() => {
  const el = document.activeElement
  const s = getComputedStyle(el)
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return `outline ${s.outlineWidth}`
  if (s.boxShadow !== 'none') return 'shadow'
  return el.closest('.n-input--focus') ? 'field' : ''
})

// tabTo presses Tab until the element with the test id has the focus (at most n times), checking
// that every control on the way shows it has the focus.
const visited = []
async function tabTo(testId, n = 40) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab')
    const at = await page.evaluate(() => {
      const el = document.activeElement
      return el?.closest('[data-testid]')?.getAttribute('data-testid') ?? el?.querySelector('[data-testid]')?.getAttribute('data-testid') ?? el?.tagName
    })
    visited.push(at)
    assert.notEqual(await focusRing(), '', `the focus on ${at} is visible`)
    if (at === testId) return
  }
  assert.fail(`Tab did not reach ${testId} in ${n} presses`)
}

async function addSource(name, file) {
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill(name)
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, file))
  await accessible(page, 'the connection form')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: name })
  await card.waitFor()
  return card
}

test('a new workspace welcomes the registrar, accessibly and by keyboard', async () => {
  await page.getByTestId('welcome-load-demo').waitFor()
  await accessible(page, 'the welcome')
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await tabTo('welcome-load-demo')
  await shot('dash-01-welcome')
})

test('Help (F1 or its button) says what each screen does, lists the shortcuts the app binds, and where the files are', async () => {
  await page.keyboard.press('F1')
  const help = page.getByTestId('help')
  await help.waitFor()
  const shortcuts = await page.getByTestId('help-shortcuts').innerText()
  assert.match(shortcuts, /Ctrl\+1\s+Dashboard/)
  assert.match(shortcuts, /Ctrl\+7\s+Mapping/)
  assert.match(shortcuts, /F1\s+Open this help/)
  assert.match(shortcuts, /J \/ ↓\s+Next pair/)
  assert.match(shortcuts, /Ctrl\+S\s+Save the mapping/)
  assert.match(shortcuts, /Esc\s+Close/)
  assert.equal(await page.getByTestId('help-workspace').innerText(), join(dir, 'workspace.db'))
  assert.equal(await page.getByTestId('help-logs').innerText(), join(dir, 'config', 'Rosterdesk', 'logs'))
  assert.match(await help.innerText(), /Conflicts\s+Fields that two sources disagree on/)
  await accessible(page, 'Help')
  await shot('dash-02-help')
  await page.keyboard.press('Escape')
  await help.waitFor({ state: 'hidden' })
  await page.getByTestId('open-help').click()
  await help.waitFor()
  await page.keyboard.press('F1')
  await help.waitFor({ state: 'hidden' })
})

test('a fetch left running while the registrar goes to other screens keeps its report on the card', async () => {
  const card = await addSource('Springfield SIS', 'district.zip')
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('task-dialog').waitFor()
  await page.keyboard.press('Escape') // close the dialog: the fetch goes on
  await page.keyboard.press('Control+3')
  await page.getByTestId('history-search').waitFor()
  await page.keyboard.press('Control+1')
  const task = card.getByTestId('card-task')
  await task.getByTestId('card-task-outcome').filter({ hasText: 'Fetch finished' }).waitFor({ timeout: 30000 })
  await task.getByTestId('card-task-open').click()
  const counts = await page.getByTestId('report-counts').innerText()
  assert.match(counts, /\(users\)\s+2\d,\d{3}\b/)
})

test('an import left running shows its progress on the card, then its result, after going to other screens', async () => {
  await page.getByTestId('report-import').click()
  await page.getByTestId('task-dialog').getByTestId('job-progress').waitFor()
  // What moves while a job runs moves on the compositor (transform, opacity): an animated width or
  // position lays out and paints the page every frame, taking a core from the job on two.
  const panel = await page.evaluate(() => {
    const own = document.getAnimations().filter((a) => a.effect?.target?.closest?.('[data-testid="job-progress"]'))
    const props = own.flatMap((a) => a.effect.getKeyframes().flatMap((k) => Object.keys(k)))
    return { running: own.length, moving: props.filter((p) => !['offset', 'computedOffset', 'easing', 'composite', 'transform', 'opacity'].includes(p)) }
  })
  assert.ok(panel.running > 0, 'the bar shows the job is alive')
  assert.deepEqual(panel.moving, [], 'the progress panel animates only transforms and opacity')
  await page.keyboard.press('Escape')
  const card = page.getByTestId('connection-card').filter({ hasText: 'Springfield SIS' })
  await card.getByTestId('card-task').getByTestId('job-progress').waitFor()
  await shot('dash-03-import-on-card')
  await page.keyboard.press('Control+2')
  await page.getByTestId('nav-roster').waitFor()
  await page.keyboard.press('Control+1')
  await card.getByTestId('card-task-outcome').filter({ hasText: /Run \d+: [\d,]+ created/ }).waitFor({ timeout: 60000 })
  await card.getByTestId('card-task-open').click()
  await page.getByTestId('job-result').filter({ hasText: /succeeded/ }).waitFor()
  const shown = await page.getByTestId('task-dialog').innerText()
  assert.deepEqual(await closingText(page, '[data-testid="task-dialog"]'), { text: shown, clickable: false, focused: false }, 'the dialog keeps its title and result while it fades out, and takes no more clicks or keys')
  await page.getByTestId('job-result').waitFor({ state: 'detached' })
  await card.getByTestId('card-task-dismiss').click()
  await card.getByTestId('card-task').waitFor({ state: 'detached' })
})

test('the summary counts the roster, names the last import and opens it in History', async () => {
  const summary = page.getByTestId('roster-summary')
  await summary.getByTestId('summary-count-users').filter({ hasText: /^2\d,\d{3}$/ }).waitFor()
  const last = await summary.getByTestId('summary-last-import').innerText()
  assert.match(last, /succeeded\s+from Springfield SIS/)
  assert.match(await summary.getByTestId('summary-duplicates').innerText(), /\d+ duplicate pairs waiting for review/)
  await summary.getByTestId('summary-history').click()
  await page.getByTestId('history-row').first().waitFor()
  assert.match(await page.locator('.n-drawer').innerText(), /Run \d+/)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Control+1')
})

test('a second source: the summary shows the fields in conflict and leads to Conflicts and Duplicates; the dashboard passes axe and the keyboard', async () => {
  const card = await addSource('Health office', 'feed.zip')
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('report-import').click()
  await page.getByTestId('job-result').waitFor({ timeout: 60000 })
  await page.keyboard.press('Escape')
  await page.getByTestId('task-dialog').waitFor({ state: 'detached' })
  const summary = page.getByTestId('roster-summary')
  await summary.getByTestId('summary-last-import').filter({ hasText: 'Health office' }).waitFor()
  await summary.getByTestId('summary-conflicts').filter({ hasText: /[\d,]+ fields in conflict/ }).waitFor()
  await accessible(page, 'the dashboard')
  await shot('dash-04-summary')

  await page.locator('body').click({ position: { x: 5, y: 5 } })
  visited.length = 0
  await tabTo('open-help')
  for (const v of ['dashboard', 'roster', 'history', 'conflicts', 'duplicates', 'mapping', 'settings']) assert.ok(visited.includes(`nav-${v}`), `Tab reaches ${v} in the menu: ${visited}`)
  await tabTo('summary-open-conflicts')
  await page.keyboard.press('Enter')
  await page.getByTestId('conflicts-search').waitFor()
  await page.keyboard.press('Control+1')
  await summary.getByTestId('summary-open-duplicates').click()
  await page.getByTestId('duplicates-scan').waitFor()
  await page.keyboard.press('Control+1')
  await tabTo('card-fetch')
})
