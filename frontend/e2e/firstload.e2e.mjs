// The first screen's speed (issue 14, app load): what the window does before the first card is painted.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '5')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  app = await startApp(dir)
  ;({ page } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

test('the cards are asked for with the page, while its script loads, and only once', async () => {
  await page.reload()
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  const { cards, script } = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource')
    return {
      cards: entries.filter((r) => new URL(r.name).pathname === '/startup/cards.json').map((r) => r.startTime),
      script: entries.find((r) => /\/assets\/index-[^/]*\.js$/.test(r.name)).responseEnd,
    }
  })
  // Asked for by the store's fetch once the script had run, they came after it; the page's preload asks
  // before the script is in, and the store's fetch takes that response rather than asking again.
  assert.equal(cards.length, 1, `cards.json was requested ${cards.length} times`)
  assert.ok(cards[0] < script, `cards.json was requested at ${cards[0]} ms, after the script was in at ${script} ms`)
  assert.deepEqual(app.pageErrors, [])
})

test('components take their colours from one class per theme, not from variables on each element', async () => {
  // Some fifty CSS variables set on every button, tag and card were a good part of painting the
  // dashboard; Naive UI's theme classes carry them once.
  const inline = () => page.evaluate(() => [...document.querySelectorAll('[style]')].filter((e) => e.getAttribute('style').includes('--n-')).length)
  assert.equal(await inline(), 0)
  const primary = () => page.getByTestId('add-connection').evaluate((e) => getComputedStyle(e).backgroundColor)
  const light = await primary()
  assert.equal(light, 'rgb(12, 122, 67)') // the theme's primary colour (App.vue), dark enough for AA
  await accessible(page, 'the dashboard')
  await app.shot('firstload-light')

  // The dark theme still applies to what is already on screen, and back.
  const theme = async (name) => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId(`theme-${name}`).click()
    await page.waitForFunction((n) => document.querySelector(`[data-testid="theme-${n}"] input`)?.checked, name)
    await page.getByTestId('nav-dashboard').click()
    await page.getByTestId('connection-card').first().waitFor()
  }
  await theme('dark')
  await page.waitForFunction((c) => getComputedStyle(document.querySelector('[data-testid="add-connection"]')).backgroundColor !== c, light)
  assert.equal(await inline(), 0)
  await accessible(page, 'the dashboard in the dark theme')
  await app.shot('firstload-dark')
  await theme('light')
  await page.waitForFunction((c) => getComputedStyle(document.querySelector('[data-testid="add-connection"]')).backgroundColor === c, light)
  await theme('auto')
  assert.deepEqual(app.pageErrors, [])
})
