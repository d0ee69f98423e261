// Accessibility of History, Settings, Conflicts, Duplicates, Mapping and the fetch report: each
// screen and dialog passes axe-core (no serious or critical violation), and its main actions work
// from the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape) with a visible focus.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli as cliOf, tempDir, startApp, removeDir, accessible, closingText } from './harness.mjs'

let dir, app, page, pageErrors
const cli = (...args) => cliOf(dir, ...args)

before(async () => {
  dir = tempDir()
  // A district with near-duplicate students, a second feed of it (the same sourcedIds, other
  // spellings: conflicts), a package with defects (findings in its fetch report), and a REST API
  // target whose users mapping has a code table and a transformation.
  cli('generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '7', '--duplicates', '0.05')
  cli('generate', '--out', join(dir, 'feed.zip'), '--users', '320', '--seed', '9')
  cli('generate', '--out', join(dir, 'defects.zip'), '--users', '60', '--seed', '8', '--defects')
  cli('connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli('connection', 'add', 'Feed', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'feed.zip')}`)
  cli('connection', 'add', 'Defects', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'defects.zip')}`)
  cli('import', 'District')
  cli('import', 'Feed')
  cli('duplicates', 'scan')
  process.env.ROSTERDESK_SECRET_APIKEY = 'K'
  cli('connection', 'add', 'Vendor API', '--kind', 'rest-push', '--role', 'target', '--set', 'baseUrl=http://127.0.0.1:9',
    '--set', 'auth=apikey', '--set', 'endpoints={"users": "/api/students"}', '--secret', 'apiKey')
  writeFileSync(join(dir, 'users.json'), JSON.stringify({
    entity: 'users',
    fields: [
      { to: 'sourcedId', type: 'direct', from: 'sourcedId', key: true },
      { to: 'status', type: 'codes', from: 'status', codes: { active: 'A', tobedeleted: 'D' }, unmatched: 'default', default: 'X' },
      { to: 'familyName', type: 'transformation', expr: 'upper(familyName)' },
      { to: 'givenName', type: 'direct', from: 'givenName' },
      { to: 'email', type: 'none', from: 'email' },
    ],
  }))
  cli('mapping', 'set', 'Vendor API', '--entity', 'users', '--file', join(dir, 'users.json'))
  app = await startApp(dir)
  ;({ page, pageErrors } = app)
  await page.getByTestId('connection-card').first().waitFor()
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

// within: whether the focused element is the located one or inside it.
const within = (locator) => locator.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)).catch(() => false)

// tabTo presses Tab (or Shift+Tab) until the focus is on or in the located element.
async function tabTo(locator, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await within(locator.first())) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  assert.fail(`${back ? 'Shift+Tab' : 'Tab'} never reached ${locator}`)
}

// focusShows checks that the focused control looks different from the same control unfocused: its
// outline, shadow, border or background, or those of the parts Naive UI draws them with.
async function focusShows(what) {
  const differs = await page.evaluate(async () => {
    const el = document.activeElement
    const root = el.closest('tr, button, a, .n-button, .n-switch, .n-radio-button, .n-radio, .n-base-selection, .n-input, .n-input-number') ?? el
    const snap = () => [root, ...root.querySelectorAll('*')].slice(0, 40).map((e) => {
      const c = getComputedStyle(e)
      return [c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow, c.borderTopColor, c.backgroundColor].join('|')
    }).join(';')
    const frames = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 350))))
    await frames()
    const focused = snap()
    el.blur()
    await frames()
    const blurred = snap()
    el.focus()
    return focused !== blurred
  })
  assert.ok(differs, `${what}: the focused control shows its focus`)
}

// focusTrapped checks that Tab and Shift+Tab keep the focus inside the open dialog.
async function focusTrapped(dialog, what) {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(key)
      assert.ok(await within(dialog), `${what}: ${key} keeps the focus in the dialog`)
    }
  }
}

// go opens a screen from the menu, closing first whatever a failed test left open.
async function go(view) {
  for (let i = 0; i < 3 && await page.locator('.n-drawer-mask, .n-modal-mask').count(); i++) {
    await page.keyboard.press('Escape')
    await page.waitForTimeout(400)
  }
  await page.getByTestId(`nav-${view}`).click()
  await page.locator('.n-message').first().waitFor({ state: 'detached' }) // a message fading out is no part of the screen
}

// rowsFromSearch checks the screen with axe, then Tabs from its search box to its first row, which
// must show the focus.
async function rowsFromSearch(what, rows, search) {
  await accessible(page, what)
  await page.getByTestId(search).locator('input').focus()
  await tabTo(rows)
  await focusShows(`a row of ${what}`)
}

const focusedTestId = () => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))

test('History: the list and an opened run pass axe; a run opens with Enter and Escape brings the focus back to its row', async () => {
  await go('history')
  const rows = page.getByTestId('history-row')
  await rows.first().waitFor()
  await rowsFromSearch('History', rows, 'history-search')
  const opened = await page.evaluate(() => document.activeElement.textContent)
  await page.keyboard.press('Enter')
  const drawer = page.locator('.n-drawer')
  await page.getByTestId('log-xlsx').waitFor()
  assert.match(await drawer.innerText(), /Run \d+/)
  await page.waitForTimeout(400) // the drawer slides in
  await accessible(page, 'History, a run opened')
  assert.ok(await within(drawer), 'the focus moved into the run')
  await tabTo(drawer.getByTestId('log-csv'))
  await focusShows('Download log (CSV)')
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'detached' })
  assert.equal(await focusedTestId(), 'history-row', 'the focus is back on the row')
  assert.equal(await page.evaluate(() => document.activeElement.textContent), opened)
  await app.shot('a11y-history')
})

test('Settings: every section passes axe; the scan switch, Move down and Edit as JSON work from the keyboard', async () => {
  await go('settings')
  await page.getByTestId('domain-row').first().waitFor()
  await page.getByTestId('source-row').first().waitFor()
  await accessible(page, 'Settings')

  // The switch has a name, shows its focus, and Space turns it off and on again.
  const after = page.getByTestId('domains-after-import')
  assert.equal(await after.getAttribute('aria-checked'), 'true')
  await page.getByTestId('domains-defaults').focus()
  await tabTo(after)
  await focusShows('Scan for duplicates after every import')
  await page.keyboard.press('Space')
  await page.getByText('Imports no longer scan for duplicates').waitFor()
  assert.equal(await after.getAttribute('aria-checked'), 'false')
  await page.keyboard.press('Space')
  await page.getByText('Every import now ends with a scan for duplicates.').waitFor()
  assert.equal(await after.getAttribute('aria-checked'), 'true')

  // Shift+Tab back to Edit as JSON; Enter opens the domains as JSON, which pass axe too.
  await tabTo(page.getByTestId('domains-edit'), { back: true })
  await focusShows('Edit as JSON')
  await page.keyboard.press('Enter')
  await page.getByTestId('domains-json').waitFor()
  await accessible(page, 'Settings, the domains as JSON')
  await tabTo(page.getByTestId('domains-json'))
  await focusShows('the domains as JSON')

  // A domain's Move down, by keyboard: the second domain becomes the first, then goes back.
  const names = () => page.getByTestId('domain-name').allInnerTexts()
  const [first, second] = await names()
  await page.getByTestId('domain-row').first().getByTestId('domain-down').focus()
  await focusShows('Move down')
  await page.keyboard.press('Enter')
  await page.waitForFunction((name) => document.querySelector('[data-testid="domain-name"]')?.textContent === name, second)
  await page.getByTestId('domain-row').first().getByTestId('domain-down').focus()
  await page.keyboard.press('Enter')
  await page.waitForFunction((name) => document.querySelector('[data-testid="domain-name"]')?.textContent === name, first)

  // The theme, from the keyboard: the arrows move to Dark (which passes axe too), then back to Follow system.
  await page.getByTestId('theme-auto').locator('input').focus()
  await focusShows('the theme')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await page.waitForFunction(() => document.querySelector('[data-testid="theme-dark"] input')?.checked)
  await page.locator('.n-message').first().waitFor({ state: 'detached' }).catch(() => {})
  await page.waitForTimeout(400) // the colours' transition
  await accessible(page, 'Settings in the dark theme')
  await app.shot('a11y-settings-dark')
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('ArrowLeft')
  await page.waitForFunction(() => document.querySelector('[data-testid="theme-auto"] input')?.checked)
  await app.shot('a11y-settings')
})

test('Conflicts: the screen passes axe; a conflict opens with Enter, and the next page is a button', async () => {
  await go('conflicts')
  const rows = page.getByTestId('conflict-row')
  await rows.first().waitFor()
  await rowsFromSearch('Conflicts', rows, 'conflicts-search')
  const record = (await page.evaluate(() => document.activeElement.querySelectorAll('td')[1].textContent)).trim()
  await page.keyboard.press('Enter')
  await page.getByTestId('record-panel').filter({ hasText: record }).waitFor()
  const shown = await page.getByTestId('record-panel').innerText()
  assert.deepEqual(await closingText(page, '[data-testid="record-panel"]'), { text: shown, clickable: false, focused: false }, 'the record page keeps the record while it slides out, and takes no more clicks or keys')
  await page.getByTestId('record-panel').waitFor({ state: 'detached' })

  // Thousands of conflicts: the pager's Next page, by keyboard, shows the next 50.
  const first = await rows.first().innerText()
  await tabTo(page.getByTestId('pager-next'))
  await focusShows('Next page')
  await page.keyboard.press('Enter')
  await page.waitForFunction((text) => document.querySelector('[data-testid="conflict-row"]')?.innerText !== text, first)
  assert.equal(await page.getByTestId('pager-number').locator('input').inputValue(), '2')
  await tabTo(page.getByTestId('pager-previous'), { back: true })
  await page.keyboard.press('Enter')
  await page.waitForFunction((text) => document.querySelector('[data-testid="conflict-row"]')?.innerText === text, first)
  await app.shot('a11y-conflicts')
})

test('Duplicates: the queue and the merge dialog pass axe; rows, arrows, M, a value chosen with Space, Escape back to the queue', async () => {
  await go('duplicates')
  const rows = page.getByTestId('pair-row')
  await rows.nth(1).waitFor()
  await page.getByTestId('pair-card').waitFor()
  await rowsFromSearch('Duplicates', rows, 'duplicates-search')
  // ↓ selects the next pair and the focus follows it; Enter on a row selects that row's pair.
  const firstPair = await page.evaluate(() => document.activeElement.dataset.pair)
  await page.keyboard.press('ArrowDown')
  await page.waitForFunction((id) => document.querySelector('[data-testid="pair-card"]')?.dataset.pair !== id, firstPair)
  const second = await page.getByTestId('pair-card').getAttribute('data-pair')
  assert.equal(await page.evaluate(() => document.activeElement.dataset.pair), second, 'the focus follows the selected pair')
  await page.keyboard.press('Shift+Tab')
  assert.equal(await page.evaluate(() => document.activeElement.dataset.pair), firstPair)
  await page.keyboard.press('Enter')
  await page.waitForFunction((id) => document.querySelector('[data-testid="pair-card"]')?.dataset.pair === id, firstPair)

  // The pair's actions are next in the tab order.
  await tabTo(page.getByTestId('pair-merge'))
  await focusShows('Merge')
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('merge-dialog')
  await dialog.getByTestId('merge-field').first().waitFor()
  await page.waitForTimeout(400) // the dialog's entrance
  await accessible(page, 'the merge dialog')
  await focusTrapped(dialog, 'the merge dialog')
  // A value of the second record chosen with Space.
  const value = dialog.locator('[data-testid="merge-field"].differ [data-testid="merge-value"][data-index="1"]:not([disabled])').first()
  await tabTo(value)
  await focusShows('a value to keep')
  await page.keyboard.press('Space')
  assert.equal(await value.getAttribute('aria-pressed'), 'true')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  assert.equal(await focusedTestId(), 'pair-merge', 'the focus is back on Merge')
  await app.shot('a11y-duplicates')
})

test('Mapping: the table with a code table and the test record dialog pass axe; the dialog opens from the keyboard and gives the focus back', async () => {
  await go('mapping')
  const target = page.getByTestId('mapping-target')
  await target.waitFor()
  // The target chosen from the keyboard: Enter opens the list, the arrows and Enter pick Vendor API.
  await target.locator('.n-base-selection-label').focus()
  await focusShows('the mapping picker')
  await page.keyboard.press('Enter')
  const option = page.locator('.n-base-select-option').filter({ hasText: 'Vendor API' })
  await option.waitFor()
  for (let i = 0; i < 10 && !(await option.evaluate((el) => el.classList.contains('n-base-select-option--pending'))); i++) await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await page.getByTestId('code-table').waitFor()
  await page.locator('.n-base-select-menu').waitFor({ state: 'hidden' }) // the list fading out is no part of the screen
  await page.locator('[data-testid="mapping-row"][data-to="familyName"] [data-testid="field-value"] code').waitFor()
  await accessible(page, 'Mapping')

  // A code of the table, reached with Tab, edited by typing.
  await tabTo(page.getByTestId('code-to').first())
  await focusShows('a code\'s value')
  await page.keyboard.press('End')
  await page.keyboard.type('1')
  await page.getByTestId('mapping-unsaved').waitFor()
  await page.keyboard.press('Backspace')

  const send = page.getByTestId('mapping-send-test')
  await page.waitForFunction(() => !document.querySelector('[data-testid="mapping-send-test"]')?.disabled)
  await tabTo(send, { back: true })
  await focusShows('Send test record')
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('test-record')
  await dialog.getByTestId('test-payload').waitFor()
  await page.waitForTimeout(400)
  await accessible(page, 'the test record dialog')
  assert.equal(await page.locator('[role="dialog"][aria-labelledby="test-record-title"]').count(), 1, 'the dialog is named by its title')
  await focusTrapped(dialog, 'the test record dialog')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  assert.equal(await focusedTestId(), 'mapping-send-test', 'the focus is back on Send test record')

  // A Transformation's helpers: Enter opens them with the focus on the first, Esc closes them back to
  // the button, Enter on a helper puts it in the expression.
  const family = page.locator('[data-testid="mapping-row"][data-to="familyName"]')
  const helpers = page.getByTestId('helpers')
  await tabTo(family.getByTestId('field-helpers'))
  await focusShows('Helpers')
  await page.keyboard.press('Enter')
  await helpers.waitFor()
  await page.waitForFunction(() => document.querySelector('[data-testid="helpers"]')?.contains(document.activeElement))
  await focusShows('a helper')
  await page.keyboard.press('Escape')
  await helpers.waitFor({ state: 'hidden' })
  assert.equal(await focusedTestId(), 'field-helpers', 'the focus is back on Helpers')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelector('[data-testid="helpers"]')?.contains(document.activeElement))
  const helper = (await page.evaluate(() => document.activeElement.closest('[data-testid^="helper-"]').dataset.testid)).replace('helper-', '')
  await page.keyboard.press('Enter')
  const expr = family.getByTestId('field-expr').locator('textarea')
  await page.waitForFunction(([el, name]) => el.value.includes(`${name}()`), [await expr.elementHandle(), helper])
  assert.ok(await within(family.getByTestId('field-expr')), 'the focus is back in the expression')
  await app.shot('a11y-mapping')

  // Leaving with the edit not saved asks, in a dialog that passes axe; Discard from the keyboard.
  await page.getByTestId('nav-dashboard').click()
  const leave = page.getByTestId('mapping-leave')
  await leave.waitFor()
  await page.waitForTimeout(400)
  await accessible(page, 'the dialog asking to save the mapping')
  await tabTo(leave.getByTestId('mapping-discard'))
  await focusShows('Discard')
  await page.keyboard.press('Enter')
  await page.getByTestId('connection-card').first().waitFor()
})

test('the fetch report passes axe; its filters, pages and Import are reached with Tab', async () => {
  await go('dashboard')
  await page.getByTestId('connection-card').filter({ hasText: 'Defects' }).getByTestId('card-fetch').click()
  const counts = page.getByTestId('report-counts')
  await counts.waitFor({ timeout: 30000 })
  await page.getByTestId('finding-row').first().waitFor()
  await page.waitForTimeout(400)
  await app.shot('a11y-report')
  await accessible(page, 'the fetch report')
  // The report replaced the fetch's progress in the dialog, and took the focus it had.
  const report = page.getByTestId('fetch-report')
  assert.ok(await within(report), `the focus is in the report, not on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))}`)
  await tabTo(report.locator('.n-radio-button').nth(1))
  await focusShows('the Errors filter')
  await tabTo(page.getByTestId('report-file'))
  await focusShows('the file filter')
  await tabTo(page.getByTestId('report-import'))
  await focusShows('Import into roster')
  if (await page.getByTestId('pager').count()) {
    await tabTo(page.getByTestId('pager-next'))
    await focusShows('the findings\' Next page')
  }
  await page.keyboard.press('Escape')
  await counts.waitFor({ state: 'detached' })

  // In the dark theme, the report of a package without findings (its empty list says so).
  const theme = async (name) => {
    await go('settings')
    await page.getByTestId(`theme-${name}`).click()
    await page.waitForFunction((n) => document.querySelector(`[data-testid="theme-${n}"] input`)?.checked, name)
  }
  await theme('dark')
  await go('dashboard')
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).getByTestId('card-report').click()
  await page.getByText('No findings: every record was read as it is.').waitFor()
  await page.waitForTimeout(400)
  await accessible(page, 'the fetch report in the dark theme')
  await app.shot('a11y-report-dark')
  await page.keyboard.press('Escape')
  await counts.waitFor({ state: 'detached' })
  await theme('auto')
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})
