// Opening the window (see harness.mjs): the dashboard's cards come from one script of the app's own,
// not a cascade of small ones (each a request: the browser fetches six at a time, and the window
// waited for the last before running any), and what the first screen does not show loads later.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '3')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  app = await startApp(dir)
  ;({ page } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

test('the first screen loads one script of the app and shows the cards', async () => {
  // The moment the first card is in the page, taken in the page itself: the wizard's scripts are
  // fetched right after it (see AppShell), which a request listener could not tell from before it.
  await page.context().addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector('[data-testid="connection-card"]')) return
      window.__firstCard = performance.now()
      observer.disconnect()
    }).observe(document, { childList: true, subtree: true })
  })
  await page.reload()
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'))
    .filter((r) => new URL(r.name).pathname.startsWith('/assets/') && r.startTime < window.__firstCard)
    .map((r) => new URL(r.name).pathname))
  assert.equal(scripts.length, 1, `scripts requested before the first card: ${scripts.join(', ')}`)
  // …and the wizard's, once the cards are there, so its first opening does not wait for them.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => /\/assets\/SelectionWizard-[^/]*\.js$/.test(r.name)))
  await accessible(page, 'the dashboard after loading')
  await app.shot('load-dashboard')

  // A view not on the first screen still opens (its script loads when asked for).
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-search').waitFor()
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('connection-card').first().waitFor()
  assert.deepEqual(app.pageErrors, [])
})

test('the first cards come with the page, before the bridge to the app opens', async () => {
  // The page's bridge to Go (a WebSocket in this development build) held closed: only the cards the
  // app serves with the page (app.go, firstCards) can show.
  await page.routeWebSocket(/\/wails\/ipc/, () => {})
  try {
    await page.reload()
    await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor({ timeout: 10000 })
  } finally {
    await page.unrouteAll()
  }
  await page.reload()
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-search').waitFor()
})

