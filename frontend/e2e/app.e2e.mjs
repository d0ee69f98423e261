// End-to-end: the real Go backend (development build, live bindings over its local server) driven
// by Debian's headless Chromium, in a fresh workspace, the way a registrar would use it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { createServer } from 'node:net'
import { chromium } from 'playwright-core'

const bin = process.env.E2E_BIN
const shots = process.env.E2E_OUT ?? tmpdir()
const dist = resolve('dist')
let dir, app, context, page, base, sshd, sshdPort
const pageErrors = []

// Wails' own ipc.js logs this on every load in a plain browser; it is harmless.
const harmless = /reading 'nodes'|favicon/

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

async function waitForServer(url, ms = 20000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the app did not serve ${url} within ${ms} ms`)
}

const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })

before(async () => {
  assert.ok(bin, 'E2E_BIN names the development binary')
  dir = mkdtempSync(join(tmpdir(), 'rosterdesk-e2e-'))
  execFileSync(bin, ['generate', '--out', join(dir, 'district.zip'), '--users', '400', '--seed', '7'])
  execFileSync(bin, ['generate', '--out', join(dir, 'defects.zip'), '--users', '300', '--seed', '8', '--defects'])
  writeFileSync(join(dir, 'broken.zip'), 'this is not a zip file\n')
  await startSSHD()
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  app = spawn(bin, [], {
    env: { ...process.env, assetdir: dist, devserver: `127.0.0.1:${port}`, ROSTERDESK_WORKSPACE: join(dir, 'workspace.db'), XDG_CONFIG_HOME: join(dir, 'config'),
      ROSTERDESK_SECRETS: 'file' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitForServer(base)
  context = await chromium.launchPersistentContext(join(dir, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
  page = context.pages()[0] ?? await context.newPage()
  page.on('pageerror', (e) => { if (!harmless.test(e.message)) pageErrors.push(e.message) })
  await page.goto(base)
})

// startSSHD runs Debian's OpenSSH server on a loopback port, letting this account in with a key
// generated here, so the SFTP test crosses a real SSH connection.
async function startSSHD() {
  const keys = join(dir, 'ssh')
  mkdirSync(keys)
  for (const name of ['host', 'user']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keys, name)])
  writeFileSync(join(keys, 'authorized_keys'), readFileSync(join(keys, 'user.pub')))
  if (process.getuid() === 0) mkdirSync('/run/sshd', { recursive: true })
  sshdPort = await freePort()
  writeFileSync(join(keys, 'sshd_config'), [`ListenAddress 127.0.0.1`, `Port ${sshdPort}`, `HostKey ${join(keys, 'host')}`, 'PidFile none',
    `AuthorizedKeysFile ${join(keys, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'Subsystem sftp internal-sftp', ''].join('\n'))
  sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(keys, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] })
  await new Promise((ok, fail) => {
    sshd.stderr.on('data', (d) => { if (String(d).includes('Server listening')) ok() })
    sshd.once('exit', (code) => fail(new Error(`sshd exited with ${code}`)))
  })
}

after(async () => {
  sshd?.kill()
  await context?.close()
  if (app && app.exitCode === null) {
    const exited = new Promise((ok) => app.once('exit', ok))
    app.kill()
    await exited
  }
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
})

test('a new workspace welcomes the user and offers the demo district', async () => {
  await page.getByTestId('welcome-load-demo').waitFor()
  await shot('01-welcome')
})

test('cancelling the demo district while it loads changes nothing', async () => {
  await page.getByTestId('welcome-students').locator('input').fill('80000')
  await page.getByTestId('welcome-load-demo').click()
  await page.getByTestId('job-progress').filter({ hasText: 'Generating the demo district' }).waitFor()
  await page.getByTestId('job-cancel').click()
  await page.getByTestId('job-cancelled').filter({ hasText: 'nothing was changed' }).waitFor({ timeout: 15000 })
  await shot('01b-cancelled')
  await page.keyboard.press('Escape')
  await page.getByTestId('job-cancelled').waitFor({ state: 'detached' })
  await page.getByTestId('welcome-load-demo').waitFor() // still an empty workspace: no connection was added
})

test('adds a OneRoster ZIP connection, fetches it and shows the validation report', async () => {
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Springfield SIS')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'district.zip'))
  await shot('02-add-connection')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'Springfield SIS' })
  await card.waitFor()
  await card.getByTestId('card-test').click()
  await card.getByTestId('card-last-test').filter({ hasText: 'works' }).waitFor()
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('report-counts').waitFor({ timeout: 30000 })
  const counts = await page.getByTestId('report-counts').innerText()
  assert.match(counts, /\(demographics\)\s+400\b/, 'a demographics record per student')
  assert.match(counts, /\(enrollments\)\s+2,496\b/, '400 students × 6 periods + one teacher per section (96)')
  await shot('03-fetch-report')
})

test('imports from the report into the roster and the schools appear in the roster browser', async () => {
  await page.getByTestId('report-import').click()
  await page.getByTestId('job-result').filter({ hasText: /succeeded/i }).waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('job-result').innerText(), /Enrollments\s+2,496\s+0\s+0\s+0\s+0/)
  await shot('04-import-result')
  await page.keyboard.press('Escape')
  await page.getByTestId('job-result').waitFor({ state: 'detached' })
  await page.getByTestId('nav-roster').click()
  await page.getByTestId('roster-tab-orgs').click()
  await page.getByTestId('roster-row').filter({ hasText: /School/ }).first().waitFor()
  const schools = await page.getByTestId('roster-row').filter({ hasText: /School/ }).count()
  assert.ok(schools >= 2, `expected the district's schools, saw ${schools}`)
  await page.getByTestId('roster-tab-users').click()
  await page.getByTestId('roster-search').locator('input').fill('usr-000001')
  await page.getByTestId('roster-total').filter({ hasText: /Records: 1\b/ }).waitFor()
  await shot('05-roster')
})

test('a file that is not a ZIP gives a clear message and changes nothing', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Broken export')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'broken.zip'))
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'Broken export' })
  await card.getByTestId('card-test').click()
  await card.getByTestId('card-last-test').filter({ hasText: /failed.*not a ZIP/s }).waitFor()
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('job-error').filter({ hasText: /broken\.zip.*not a ZIP/i }).waitFor({ timeout: 15000 })
  await shot('06-broken-file')
  await page.keyboard.press('Escape')
  await page.getByTestId('job-error').waitFor({ state: 'detached' })
})

test('the validation report lists each warning with file, line and column, and filters them', async () => {
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('Export with defects')
  await page.getByTestId('conn-opt-path').locator('input').fill(join(dir, 'defects.zip'))
  await page.getByTestId('conn-submit').click()
  await page.getByTestId('connection-card').filter({ hasText: 'Export with defects' }).getByTestId('card-fetch').click()
  await page.getByTestId('report-counts').waitFor({ timeout: 30000 })
  const rows = page.getByTestId('finding-row')
  await rows.first().waitFor()
  assert.ok(await rows.count() >= 4, 'the injected defects are reported')
  await page.getByPlaceholder('Search findings').fill('enabledUser')
  await rows.filter({ hasText: '"TRUE" read as true' }).first().waitFor()
  const row = await rows.first().innerText()
  assert.match(row, /users\.csv/)
  assert.match(row, /\b\d+\b/, 'the line number is shown')
  await shot('07-findings')
  await page.getByText(/^Errors \(0\)$/).click()
  await rows.first().waitFor({ state: 'detached' })
  await page.keyboard.press('Escape')
})

test('an SFTP drop: the private key kept out of the workspace, the server trusted only after comparing its fingerprint', async () => {
  await page.getByTestId('nav-dashboard').click()
  await page.getByTestId('add-connection').first().click()
  await page.getByTestId('conn-name').locator('input').fill('District SFTP')
  await page.getByTestId('conn-kind').click()
  await page.getByText('OneRoster on an SFTP server', { exact: true }).click()
  await page.getByTestId('conn-opt-host').locator('input').fill('127.0.0.1')
  await page.getByTestId('conn-opt-port').locator('input').fill(String(sshdPort))
  await page.getByTestId('conn-opt-username').locator('input').fill(userInfo().username)
  await page.getByTestId('conn-opt-remotePath').locator('input').fill(join(dir, 'district.zip'))
  await page.getByTestId('conn-opt-privateKey').locator('textarea').fill(readFileSync(join(dir, 'ssh', 'user'), 'utf8'))
  assert.match(await page.getByTestId('conn-secrets-where').innerText(), /encrypted file/)
  await shot('08-add-sftp')
  await page.getByTestId('conn-submit').click()
  const card = page.getByTestId('connection-card').filter({ hasText: 'District SFTP' })
  await card.waitFor()
  assert.ok(!readFileSync(join(dir, 'workspace.db')).includes('PRIVATE KEY'), 'the key is not in the workspace')

  const fingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'ssh', 'host.pub')]).toString().split(' ')[1]
  await card.getByTestId('card-test').click()
  const prompt = page.getByRole('dialog').filter({ hasText: 'Trust 127.0.0.1?' })
  await prompt.filter({ hasText: fingerprint }).waitFor()
  await shot('09-trust-host-key')
  await prompt.getByRole('button', { name: 'Trust this key' }).click()
  await card.getByTestId('card-last-test').filter({ hasText: 'works' }).waitFor()
  await card.getByTestId('card-fetch').click()
  await page.getByTestId('report-counts').waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('report-counts').innerText(), /\(demographics\)\s+400\b/)
  await page.keyboard.press('Escape')
})

test('history lists the import with its operator and counts', async () => {
  await page.getByTestId('nav-history').click()
  const row = page.getByTestId('history-row').filter({ hasText: 'Springfield SIS' })
  await row.first().waitFor()
  assert.match(await row.first().innerText(), /succeeded/i)
  await shot('08-history')
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page')
})
