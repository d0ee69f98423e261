// Opening the window (see harness.mjs): the dashboard's cards come from one script of the app's own,
// not a cascade of small ones (each a request: the browser fetches six at a time, and the window
// waited for the last before running any), and what the first screen does not show loads later; the
// cards are asked for while that script loads, and components take their colours from theme classes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cli, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page

before(async () => {
  dir = tempDir()
  cli(dir, 'generate', '--out', join(dir, 'district.zip'), '--users', '300', '--seed', '3')
  cli(dir, 'connection', 'add', 'District', '--kind', 'oneroster-csv', '--set', `path=${join(dir, 'district.zip')}`)
  cli(dir, 'import', 'District')
  app = await startApp(dir)
  ;({ page } = app)
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

test('the first screen loads only its own scripts and shows the cards', async () => {
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
  const { scripts, named } = await page.evaluate(async () => ({
    scripts: performance.getEntriesByType('resource')
      .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'))
      .filter((r) => new URL(r.name).pathname.startsWith('/assets/') && r.startTime < window.__firstCard)
      .map((r) => new URL(r.name).pathname).sort(),
    // As the page came (later, the wizard's prefetch adds its own preloads).
    named: [...new DOMParser().parseFromString(await (await fetch('/')).text(), 'text/html')
      .querySelectorAll('script[type="module"][src], link[rel="modulepreload"]')]
      .map((e) => e.getAttribute('src') ?? e.getAttribute('href')).sort(),
  }))
  // Only the first screen's chunks, those the page names (vite.config.ts: Vue, its stores and
  // messages' runtime, a few libraries, the messages, the app, and the bundler's few lines to tie
  // them), not a lazy view's.
  assert.ok(named.length <= 6, `the page names ${named.join(', ')}`)
  assert.deepEqual(scripts, named, `scripts requested before the first card: ${scripts.join(', ')}`)
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

test("the page waits for a small bridge and Wails' runtime without its source map, as a registrar's window does", async () => {
  // The development build serves a bridge of its own (devpage_bridge.js, not Wails' with its reconnect
  // overlay) and Wails' runtime with its inline source map cut off (devpage_dev.go): 780 KB the page
  // blocked on, that no registrar's window loads.
  await page.reload()
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  const scripts = await page.evaluate(() => Promise.all(['/wails/ipc.js', '/wails/runtime.js'].map(async (path) => {
    const text = await (await fetch(path)).text()
    return { path, size: text.length, sourceMap: text.includes('sourceMappingURL') }
  })))
  for (const { path, size, sourceMap } of scripts) {
    assert.ok(!sourceMap, `${path} carries its source map`)
    assert.ok(size < (path === '/wails/ipc.js' ? 2_000 : 100_000), `${path} is ${size} characters`)
  }
  // What they are for still works: the runtime's bindings reach Go over the bridge.
  assert.deepEqual(await page.evaluate(() => window.go.api.ConnectionsAPI.List().then((cards) => cards.map((c) => c.name))), ['District'])
  assert.deepEqual(app.pageErrors, [])
})

test('the script comes with its messages compiled', async () => {
  // vue-i18n's message compiler is left out of the build (vite.config.ts): the messages come compiled,
  // and each still reads in the window, a plural one and one with a name in it too.
  await page.reload()
  await page.getByTestId('roster-summary').getByTestId('summary-count-users').waitFor()
  const scripts = await page.evaluate(() => Promise.all([...document.querySelectorAll('script[type="module"][src], link[rel="modulepreload"]')]
    .map(async (e) => (await fetch(e.src ?? e.href)).text())))
  assert.ok(scripts.length >= 3, `the first screen's scripts: ${scripts.length}`) // Vue, its stores, the app… (vite.config.ts)
  assert.ok(!scripts.some((s) => s.includes('braceNest')), 'the message compiler (its tokenizer) is in the scripts')
  assert.equal(await page.getByTestId('summary-conflicts').innerText(), 'No fields in conflict between sources.')
  assert.match(await page.getByTestId('summary-last-import').innerText(), /^Last import:\s+succeeded\s+from District, .+\s+Open run 1 in History$/)
  assert.deepEqual(app.pageErrors, [])
})

test('the first screen is drawn without Naive UI, which comes with the first dialog and message', async () => {
  // Naive UI's components build and mount their styles as they first render (css-render's
  // <style cssr-id>); the shell and the dashboard are plain elements coloured from its theme
  // (ui/palette.ts), so the window paints its cards before any of Naive UI's code runs.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector('[data-testid="connection-card"]')) return
      observer.disconnect()
      window.__atFirstCard = {
        styles: [...document.querySelectorAll('style[cssr-id]')].map((e) => e.getAttribute('cssr-id')),
        components: [...document.querySelectorAll('#app *')].flatMap((e) => [...e.classList].filter((c) => c.startsWith('n-'))),
      }
    }).observe(document, { childList: true, subtree: true })
  })
  await page.reload()
  await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  assert.deepEqual(await page.evaluate(() => window.__atFirstCard), { styles: [], components: [] })
  // What a card's buttons open still comes in Naive UI's look and the window's theme: a dialog…
  await page.getByTestId('card-edit').click()
  const form = page.locator('.n-dialog').filter({ hasText: 'Edit District' })
  await form.waitFor()
  assert.ok(await page.evaluate(() => document.querySelectorAll('style[cssr-id]').length) > 0)
  assert.equal(await form.getByRole('button', { name: /Save/ }).evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(12, 122, 67)')
  await form.getByRole('button', { name: 'Cancel' }).click()
  await form.waitFor({ state: 'detached' })
  // …and a message.
  await page.getByTestId('card-test').click()
  await page.locator('.n-message').filter({ hasText: 'District:' }).waitFor()
  await accessible(page, 'the dashboard with a message')
  assert.deepEqual(app.pageErrors, [])
})

test('the cards are in the page and in the first render, with nothing asked for', async () => {
  // The app puts the cards in the page (app.go, withFirstCards): the dashboard's first render has
  // them, never the empty placeholder, and neither cards.json nor the bridge's list is asked for.
  await page.addInitScript(() => {
    window.__placeholder = false
    new MutationObserver(() => { window.__placeholder ||= !!document.querySelector('[data-testid="cards-loading"]') })
      .observe(document, { subtree: true, childList: true })
  })
  const asked = []
  const onRequest = (r) => { if (/cards\.json/.test(r.url())) asked.push(r.url()) }
  page.on('request', onRequest)
  try {
    await page.reload()
    await page.getByTestId('connection-card').filter({ hasText: 'District' }).waitFor()
  } finally {
    page.off('request', onRequest)
  }
  const inPage = await page.evaluate(() => JSON.parse(document.getElementById('first-cards').textContent).map((c) => c.name))
  assert.deepEqual(inPage, ['District'])
  assert.match(await page.getByTestId('connection-card').first().innerText(), /Last fetch: \d+\/\d+\/\d{4}, \d+:\d{2}:\d{2}\s[AP]M/)
  assert.equal(await page.evaluate(() => window.__placeholder), false, 'the empty placeholder was shown before the cards')
  assert.deepEqual(asked, [])
  assert.deepEqual(app.pageErrors, [])
})

test('components take their colours from one class per theme, not from variables on each element', async () => {
  // Some fifty CSS variables set on every button, tag and card were a good part of painting the
  // dashboard; Naive UI's theme classes carry them once.
  const inline = () => page.evaluate(() => [...document.querySelectorAll('[style]')].filter((e) => e.getAttribute('style').includes('--n-')).length)
  assert.equal(await inline(), 0)
  const primary = () => page.getByTestId('add-connection').evaluate((e) => getComputedStyle(e).backgroundColor)
  const light = await primary()
  assert.equal(light, 'rgb(12, 122, 67)') // the theme's primary colour (ui/palette.ts), dark enough for AA
  // The dashboard's rows and grey text are plain elements, not n-space and n-text (a themed component
  // and its styles each), in the theme's colours all the same.
  assert.equal(await page.locator('.n-space, .n-text').count(), 0)
  const grey = () => page.getByTestId('connection-card').first().locator('.depth-3').evaluate((e) => getComputedStyle(e).color)
  assert.equal(await grey(), 'rgb(96, 101, 107)') // textColor3 (ui/palette.ts)
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

