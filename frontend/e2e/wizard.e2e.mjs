// End-to-end: the selection wizard on an imported district of 300 students with guardians, as a
// registrar picks in it: sorting, "Show only chosen", unticking one school of the chosen district,
// what the totals say when nothing goes through, the keys, and Next through to a plan that keeps
// every guardian. Each step passes axe-core.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, shot, pageErrors

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '4')
  cli(dir, 'connection', 'add', 'SIS', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli(dir, 'import', 'SIS') // the roster holds the guardians: a plan that dropped them would delete them
  // 600 classes: once one is unticked, the 599 chosen stay in the backend (a tick carries the tick).
  cli(dir, 'generate', '--out', join(dir, 'big.zip'), '--users', '2500', '--seed', '4')
  cli(dir, 'connection', 'add', 'Big', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'big.zip')}`)
  cli(dir, 'fetch', 'Big')
  app = await startApp(dir)
  ;({ page, shot, pageErrors } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const chosen = async () => (await page.getByTestId('pick-chosen').innerText()).match(/^([\d,]+) of ([\d,]+)/).slice(1).map((n) => Number(n.replace(/,/g, '')))
const row = (id) => page.locator(`[data-testid="pick-row"][data-id="${id}"]`)
const ticked = async (id) => (await row(id).locator('.n-checkbox--checked').count()) === 1
const column = (key) => page.locator(`[data-testid="pick-row"] td[data-col-key="${key}"]`).allInnerTexts()

test('the wizard opens on the schools, with its keys shown, and passes axe-core', async () => {
  await page.getByTestId('connection-card').filter({ hasText: 'SIS' }).getByTestId('card-select').click()
  await page.getByTestId('pick-row').first().waitFor()
  const keys = await page.getByTestId('wizard-keys').innerText()
  for (const k of ['Enter', 'next step', 'Esc', 'close', '/', 'Ctrl+F', 'search the list']) assert.ok(keys.includes(k), `"${k}" in ${keys}`)
  await accessible(page, 'the schools step')
  await shot('w01-schools')
})

test('the schools sort by a column, both ways', async () => {
  const header = page.locator('th[data-col-key="name"]')
  await header.click()
  const sorted = async (dir) => {
    const names = await column('name')
    const want = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) * dir)
    return JSON.stringify(names) === JSON.stringify(want)
  }
  for (let i = 0; i < 20 && !(await sorted(1)) && !(await sorted(-1)); i++) await page.waitForTimeout(100)
  const first = (await sorted(1)) ? 1 : -1
  assert.ok(await sorted(first), 'sorted by name')
  await header.click()
  for (let i = 0; i < 20 && !(await sorted(-first)); i++) await page.waitForTimeout(100)
  assert.ok(await sorted(-first), 'sorted by name the other way')
  // Numbers too: the users column.
  await page.locator('th[data-col-key="users"]').click()
  const numbers = async () => (await column('users')).map((n) => Number(n.replace(/,/g, '')))
  for (let i = 0; i < 20; i++) {
    const n = await numbers()
    if (n.every((x, j) => j === 0 || x <= n[j - 1]) || n.every((x, j) => j === 0 || x >= n[j - 1])) break
    await page.waitForTimeout(100)
  }
  const n = await numbers()
  assert.ok(n.every((x, j) => j === 0 || x <= n[j - 1]) || n.every((x, j) => j === 0 || x >= n[j - 1]), `sorted by users: ${n}`)
  await shot('w02-sorted')
})

test('unticking a school of the chosen district chooses its other schools instead, and says so', async () => {
  const [all, of] = await chosen()
  assert.equal(all, of, 'every org is chosen at first')
  const rows = await page.getByTestId('pick-row').evaluateAll((rs) => rs.map((r) => ({
    id: r.dataset.id, type: r.querySelector('td[data-col-key="type"]').textContent.trim(), name: r.querySelector('td[data-col-key="name"]').textContent.trim(),
  })))
  const district = rows.find((r) => r.type === 'district')
  const schools = rows.filter((r) => r.type === 'school')
  assert.ok(district && schools.length >= 2, JSON.stringify(rows))
  await row(schools[0].id).locator('.n-checkbox').click()
  const split = page.getByTestId('pick-split')
  await split.waitFor()
  assert.match(await split.innerText(), new RegExp(`${schools[0].name} no longer goes through\\. ${district.name} was chosen, which sends all its schools: it is unticked now`))
  assert.equal(await ticked(schools[0].id), false, 'the school is unticked')
  assert.equal(await ticked(district.id), false, 'the district is unticked')
  for (const s of schools.slice(1)) assert.equal(await ticked(s.id), true, `${s.name} is still chosen`)
  assert.deepEqual(await chosen(), [of - 2, of])
  await accessible(page, 'the schools step with the message')
  await shot('w03-split')
})

test('"Show only chosen" lists the chosen schools only', async () => {
  const [n] = await chosen()
  await page.getByTestId('pick-only-chosen').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pick-row"]').length === n, n)
  assert.equal(await page.locator('[data-testid="pick-row"] .n-checkbox--checked').count(), n, 'every row shown is ticked')
  assert.match(await page.getByTestId('pick-all').innerText(), new RegExp(`^Select the ${n} shown$`))
  await page.getByTestId('pick-only-chosen').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pick-row"]').length > n, n)
})

test('with no school chosen the totals say plainly that nothing goes through', async () => {
  await page.getByTestId('pick-none').click()
  const nothing = page.getByTestId('nothing-goes')
  await nothing.filter({ hasText: 'Nothing goes through: no school is chosen.' }).waitFor()
  await accessible(page, 'the schools step when nothing goes through')
  await shot('w04-nothing')
  await page.getByTestId('pick-all').click()
  await nothing.waitFor({ state: 'detached' })
})

test('"/" puts the cursor in the search box', async () => {
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('/')
  assert.ok(await page.getByTestId('pick-search').locator('input').evaluate((el) => el === document.activeElement), 'the search box has the focus')
  assert.equal(await page.getByTestId('pick-search').locator('input').inputValue(), '', 'the slash was not typed')
})

test('the classes step passes axe-core; unticking every class says no class goes', async () => {
  await page.getByTestId('wizard-next').click()
  await page.getByText('Choose the classes that go through').waitFor()
  await page.getByTestId('pick-row').first().waitFor()
  await accessible(page, 'the classes step')
  await shot('w05-classes')
  await page.getByTestId('pick-none').click()
  await page.getByTestId('nothing-goes').filter({ hasText: 'Nothing goes through: no class is chosen.' }).waitFor()
  await page.getByTestId('pick-all').click()
  await page.getByTestId('nothing-goes').waitFor({ state: 'detached' })
})

test('the users step offers the guardians, on; with no status chosen it says no user goes', async () => {
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('users-counts').waitFor()
  const guardians = page.getByTestId('users-guardians')
  assert.equal(await guardians.getAttribute('aria-checked'), 'true', 'guardians and parents are included by default')
  assert.match(await page.locator('.switch').filter({ has: guardians }).innerText(), /Include guardians and parents of the chosen students/)
  await accessible(page, 'the users step')
  await shot('w06-users')
  // Active only: everyone of a complete file is active; then no status at all.
  for (const s of ['inactive', 'deleted', 'blank']) await page.getByTestId(`status-${s}`).click()
  await page.getByTestId('status-active').click()
  await page.getByTestId('users-nothing').filter({ hasText: 'No user goes through: no status is chosen.' }).waitFor()
  for (const s of ['active', 'inactive', 'deleted', 'blank']) await page.getByTestId(`status-${s}`).click()
  await page.getByTestId('users-nothing').waitFor({ state: 'detached' })
})

test('Save and plan: the plan deletes no guardian (no user at all) and is not held', async () => {
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('plan-counts').waitFor({ timeout: 30000 })
  const users = await page.getByTestId('plan-counts').locator('tr').filter({ hasText: /^\s*Users/ }).innerText()
  const [created, updated, deleted] = users.match(/[\d,]+/g).map((n) => Number(n.replace(/,/g, '')))
  assert.deepEqual([created, updated, deleted], [0, 0, 0], `users: ${users}`)
  assert.equal(await page.getByTestId('plan-hold').count(), 0, 'not held')
  await accessible(page, 'the plan step')
  await shot('w07-plan')
  const saved = JSON.parse(cli(dir, 'select', 'SIS', '--json'))
  assert.equal(saved.selection.guardians, true, 'the saved selection includes guardians')
  assert.deepEqual(pageErrors, [])
})

test('ticks among hundreds of chosen classes count one after the other, and Save stores them', async () => {
  await page.getByTestId('wizard-close').click()
  await page.getByTestId('wizard').waitFor({ state: 'detached' })
  await page.getByTestId('connection-card').filter({ hasText: 'Big' }).getByTestId('card-select').click()
  await page.getByTestId('pick-row').first().waitFor()
  await page.getByTestId('wizard-next').click()
  await page.getByText('Choose the classes that go through').waitFor()
  await page.getByTestId('pick-row').first().waitFor()
  const counted = async (n) => page.waitForFunction((n) => document.querySelector('[data-testid="pick-chosen"]').textContent.trim().startsWith(`${n} of 600`), n)
  await counted(600)
  const [first, second] = await page.getByTestId('pick-row').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.dataset.id))
  for (const id of [first, second]) await row(id).locator('.n-checkbox').click()
  await counted(598)
  await page.getByTestId('pick-none').click()
  await counted(0)
  await page.getByTestId('pick-all').click()
  await counted(600)
  await row(first).locator('.n-checkbox').click()
  await counted(599)
  // The count the backend answers (after the one shown at once) is the same.
  await page.waitForTimeout(500)
  await counted(599)
  await page.getByTestId('wizard-save').click()
  await page.getByTestId('wizard-unsaved').waitFor({ state: 'detached' })
  const saved = JSON.parse(cli(dir, 'select', 'Big', '--json')).selection
  assert.equal(saved.classesAll, false)
  assert.equal(saved.classes.length, 599)
  assert.ok(!saved.classes.includes(first), `${first} is unticked`)
  assert.deepEqual(pageErrors, [])
})
