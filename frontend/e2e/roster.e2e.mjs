// The roster browser in the real app: a generated district imported from two sources with the CLI,
// then searched, sorted, filtered per column, resized, opened and exported the way a registrar would.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { bin, cli as cliOf, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page

before(async () => {
  dir = tempDir()
  const cli = (...args) => cliOf(dir, ...args)
  cli('generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '7')
  // A second feed of the same district: the same sourcedIds, other names.
  cli('generate', '--out', join(dir, 'feed.zip'), '--users', '300', '--seed', '9')
  for (const [name, zip] of [['District SIS', 'district.zip'], ['District feed', 'feed.zip']]) {
    cli('connection', 'add', name, '--kind', 'oneroster-csv', '--set', `path=${join(dir, zip)}`)
    cli('import', name)
  }
  app = await startApp(dir)
  page = app.page
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-users').click()
  await page.getByTestId('roster-total').filter({ hasText: /^Records: \d/ }).waitFor()
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

// The total once counted (right after a change it says Loading… or Counting… first).
const total = async () => Number((await page.getByTestId('roster-total').filter({ hasText: /Records: [\d,]+/ }).innerText()).match(/Records: ([\d,]+)/)[1].replace(/,/g, ''))
const headers = () => page.locator('.row.head .cell').allInnerTexts()
// column is the values of a column in the rows drawn, top to bottom.
async function column(name) {
  const i = (await headers()).indexOf(name)
  assert.ok(i >= 0, `a ${name} column`)
  return page.getByTestId('roster-row').evaluateAll((rows, i) => rows
    .map((r) => ({ y: new DOMMatrix(getComputedStyle(r).transform).m42, v: r.querySelectorAll('.cell')[i]?.textContent.trim() }))
    .filter((r) => r.v !== undefined).sort((a, b) => a.y - b.y).map((r) => r.v), i)
}
// settled waits until the table shows the answer to what was last asked, counted.
const settled = () => page.waitForFunction(() => !document.querySelector('[data-testid="roster-table"][aria-busy="true"]') &&
  /^(Records: |No records)/.test(document.querySelector('[data-testid="roster-total"]')?.textContent.trim() ?? ''))
// csvRows reads a CSV the app wrote (quotes around values with commas or quotes).
const csvRows = (text) => text.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) =>
  [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')))
// ordered: in the roster's order, letters without regard to case, then character by character.
const ordered = (values, desc) => values.map((v) => v.toLowerCase()).every((v, i, a) => i === 0 || (desc ? a[i - 1] >= v : a[i - 1] <= v))

test('Users show their role and school; a search shows its rows without a flash of "No records", and says when nothing matches', async () => {
  const h = await headers()
  assert.deepEqual(h.slice(0, 5), ['sourcedId', 'givenName', 'familyName', 'role', 'school'])
  const everyone = await total()
  const [role] = await column('role')
  const [school] = await column('school')
  assert.equal(role, 'student')
  assert.match(school, /School/)

  // Every text the line above the table shows while a search is typed and answered.
  await page.evaluate(() => {
    window.said = []
    const el = document.querySelector('[data-testid="roster-total"]')
    new MutationObserver(() => window.said.push(el.textContent.trim())).observe(el, { childList: true, characterData: true, subtree: true })
  })
  const [family] = await column('familyName')
  await page.getByTestId('roster-search').locator('input').pressSequentially(family.toLowerCase(), { delay: 40 })
  await page.waitForFunction((n) => /^Records: /.test(document.querySelector('[data-testid="roster-total"]').textContent.trim()) &&
    !document.querySelector('[data-testid="roster-total"]').textContent.includes(n), everyone.toLocaleString('en-US'))
  await settled()
  const found = await total()
  assert.ok(found > 0 && found < everyone, `${found} of ${everyone} named ${family}`)
  assert.ok((await column('familyName')).includes(family))
  const said = await page.evaluate(() => window.said)
  assert.ok(!said.some((s) => /No records/.test(s)), `never "No records" meanwhile: ${JSON.stringify([...new Set(said)])}`)
  await accessible(page, 'the roster browser')
  await app.shot('roster-01-search')

  await page.getByTestId('roster-search').locator('input').fill('zzqx-nobody')
  await page.getByTestId('roster-total').filter({ hasText: 'No records match. Change the search or a filter.' }).waitFor()
  await page.getByTestId('roster-search').locator('input').fill('')
  await page.getByTestId('roster-total').filter({ hasText: `Records: ${everyone.toLocaleString('en-US')}` }).waitFor()
})

test('sorts by any column in the backend, up then down then back, a user\'s school too', async () => {
  const head = (c) => page.getByTestId(`roster-head-${c}`)
  const before = await column('sourcedId')
  await page.getByTestId('roster-sort-familyName').click()
  await head('familyName').and(page.locator('[aria-sort="ascending"]')).waitFor()
  await settled()
  const up = await column('familyName')
  assert.ok(up.length > 10 && ordered(up, false), `going up: ${up.slice(0, 12)}`)
  await page.getByTestId('roster-sort-familyName').click()
  await head('familyName').and(page.locator('[aria-sort="descending"]')).waitFor()
  await settled()
  const down = await column('familyName')
  assert.ok(ordered(down, true) && down[0].toLowerCase() > up[0].toLowerCase(), `going down: ${down.slice(0, 12)}`)
  await page.getByTestId('roster-sort-familyName').click()
  await head('sourcedId').and(page.locator('[aria-sort="ascending"]')).waitFor()
  await settled()
  assert.deepEqual(await column('sourcedId'), before)

  await page.getByTestId('roster-sort-school').click()
  await settled()
  const schools = await column('school')
  assert.ok(ordered(schools, false), `by school: ${schools.slice(0, 12)}`)
  await app.shot('roster-02-sorted-by-school')
  await page.getByTestId('roster-sort-school').click()
  await page.getByTestId('roster-sort-school').click()
  await settled()
})

test('filters per column, combined with the search and the filters above', async () => {
  const everyone = await total()
  const [school] = await column('school')
  const part = school.split(' ')[0].toLowerCase() // "maple" of "Maple Ridge Elementary School"
  await page.getByTestId('roster-match-school').locator('input').fill(part)
  await page.waitForFunction((n) => !document.querySelector('[data-testid="roster-total"]').textContent.includes(`Records: ${n}`), everyone.toLocaleString('en-US'))
  await settled()
  const atSchool = await total()
  assert.ok(atSchool > 0 && atSchool < everyone, `${atSchool} at ${part}, of ${everyone}`)
  assert.ok((await column('school')).every((s) => s.toLowerCase().includes(part)))

  await page.getByTestId('roster-match-role').locator('input').fill('teacher')
  await settled()
  const teachers = await total()
  assert.ok(teachers > 0 && teachers < atSchool, `${teachers} teachers of ${atSchool}`)
  assert.deepEqual([...new Set(await column('role'))], ['teacher'])
  await app.shot('roster-03-column-filters')

  await page.getByTestId('roster-filter-status').click()
  await page.locator('.n-base-select-option').filter({ hasText: /^Active$/ }).click()
  await settled()
  assert.ok(await total() <= teachers)
  await page.getByTestId('roster-filter-status').hover()
  await page.getByTestId('roster-filter-status').locator('.n-base-clear').click()
  await page.getByTestId('roster-match-role').locator('input').fill('')
  await page.getByTestId('roster-match-school').locator('input').fill('')
  await page.getByTestId('roster-total').filter({ hasText: `Records: ${everyone.toLocaleString('en-US')}` }).waitFor()
})

test('columns resize by their edge or the arrow keys, and a value cut off shows whole on hover', async () => {
  const email = page.getByTestId('roster-head-email')
  const wide = (await email.boundingBox()).width
  const grip = page.getByTestId('roster-resize-email')
  await grip.scrollIntoViewIfNeeded()
  const g = await grip.boundingBox()
  await page.mouse.move(g.x + g.width / 2, g.y + g.height / 2)
  await page.mouse.down()
  await page.mouse.move(g.x - 150, g.y + g.height / 2, { steps: 5 })
  await page.mouse.up()
  const narrow = (await email.boundingBox()).width
  assert.ok(Math.abs(wide - 150 - narrow) < 4, `dragged from ${wide} to ${narrow} px`)
  await grip.focus()
  await page.keyboard.press('ArrowRight')
  assert.equal(Number(await grip.getAttribute('aria-valuenow')), Math.round(narrow) + 20)

  const i = (await headers()).indexOf('email')
  const cell = page.getByTestId('roster-row').first().locator('.cell').nth(i)
  const full = (await cell.textContent()).trim()
  assert.ok(await cell.evaluate((c) => c.scrollWidth > c.clientWidth), `${full} is cut off`)
  await cell.hover()
  await page.getByTestId('roster-tip').filter({ hasText: full }).waitFor()
  await app.shot('roster-04-resized-tooltip')
  await page.mouse.move(5, 5)
  await page.getByTestId('roster-tip').waitFor({ state: 'detached' })
})

test('a row opens the record\'s page: its fields and the source of each, its sources and the runs that touched it', async () => {
  const [id] = await column('sourcedId')
  await page.getByTestId('roster-row').first().focus()
  await page.keyboard.press('Enter')
  const panel = page.getByTestId('record-panel')
  await panel.getByTestId('record-status').waitFor()
  assert.match(await panel.innerText(), new RegExp(`Users ${id}`))
  const given = await panel.getByTestId('record-field').filter({ has: page.locator('td:first-child', { hasText: /^givenName$/ }) }).innerText()
  assert.match(given, /District (SIS|feed)/, `givenName and the source it came from: ${given}`)
  const origins = (await panel.getByTestId('record-origin').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())
  assert.deepEqual(origins.map((o) => o.split(' ').slice(0, 2).join(' ')), ['District SIS', 'District feed'])
  const runs = await panel.getByTestId('record-run').allInnerTexts()
  assert.ok(runs.length >= 1 && runs.every((r) => /^\s*\d+\s/.test(r)), `runs by number: ${runs}`)
  assert.ok(runs.some((r) => /District SIS/.test(r) && /create/.test(r)), `the import that created it: ${runs}`)
  await accessible(page, 'the record page')
  await app.shot('roster-05-record-page')

  // A run's number opens it in History; the roster is as it was on coming back.
  const run = (await panel.getByTestId('record-open-run').first().innerText()).trim()
  await panel.getByTestId('record-open-run').first().click()
  await panel.waitFor({ state: 'detached' })
  await page.locator('.n-drawer-header').filter({ hasText: new RegExp(`\\b${run}\\b`) }).waitFor()
  await page.keyboard.press('Escape')
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-row').first().filter({ hasText: id }).waitFor()
})

test('Export this view writes every row the view shows, in its order, with its columns, as CSV and XLSX', async () => {
  await page.getByTestId('roster-match-grades').locator('input').fill('0')
  await page.getByTestId('roster-sort-familyName').click()
  await page.getByTestId('roster-sort-familyName').click() // going down
  await page.getByTestId('roster-head-familyName').and(page.locator('[aria-sort="descending"]')).waitFor()
  await settled()
  const shown = await total()
  assert.ok(shown > 200, `more rows than the first window: ${shown}`)
  const cols = await headers()
  const top = await page.getByTestId('roster-row').evaluateAll((rows) => rows.slice(0, 5).map((r) => [...r.querySelectorAll('.cell')].map((c) => c.textContent.trim())))

  const save = async (format) => {
    await page.getByTestId('roster-export').click()
    await page.getByTestId(`roster-export-${format}`).click()
    const path = page.getByTestId('saved-path').filter({ hasText: new RegExp(`\\.${format}$`) })
    await path.waitFor({ timeout: 30000 })
    return path.innerText()
  }
  const csv = csvRows(readFileSync(await save('csv'), 'utf8'))
  assert.deepEqual(csv[0], cols)
  assert.equal(csv.length - 1, shown, 'every row, not only those loaded')
  assert.deepEqual(csv.slice(1, 6), top)
  const familyName = cols.indexOf('familyName')
  assert.ok(ordered(csv.slice(1).map((r) => r[familyName]), true))
  assert.ok(csv.slice(1).every((r) => r[cols.indexOf('grades')].includes('0')))

  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(await save('xlsx'))
  const sheet = book.getWorksheet('users')
  assert.equal(sheet.rowCount - 1, shown)
  assert.deepEqual(sheet.getRow(2).values.slice(1).map(String), top[0].slice(0, sheet.getRow(2).values.length - 1))
  await app.shot('roster-06-exported')
  assert.deepEqual(app.pageErrors, [], 'no uncaught errors in the page')
})
