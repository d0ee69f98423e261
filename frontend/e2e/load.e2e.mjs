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
  const scripts = []
  const onRequest = (r) => { if (r.resourceType() === 'script' && new URL(r.url()).pathname.startsWith('/assets/')) scripts.push(new URL(r.url()).pathname) }
  page.on('request', onRequest)
  await page.reload()
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  page.off('request', onRequest)
  assert.equal(scripts.length, 1, `scripts requested before the first card: ${scripts.join(', ')}`)
  await accessible(page, 'the dashboard after loading')
  await app.shot('load-dashboard')

  // A view not on the first screen still opens (its script loads when asked for).
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-search').waitFor()
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('connection-card').first().waitFor()
  assert.deepEqual(app.pageErrors, [])
})
