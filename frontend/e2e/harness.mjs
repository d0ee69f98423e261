// The browser tests' harness: the real Go backend (development build, live bindings over its local
// server) in a workspace of its own, driven by Debian's headless Chromium. Each *.e2e.mjs file starts
// one app; node --test runs two files at a time (scripts/e2e.sh).
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createServer } from 'node:net'
import { chromium } from 'playwright-core'

export const bin = process.env.E2E_BIN
export const shots = process.env.E2E_OUT ?? tmpdir()
const dist = resolve(process.env.E2E_DIST ?? 'dist')

// A browser asks for a favicon the app does not serve; it is harmless.
const harmless = /favicon/

export function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

// waitForServer waits for the app to serve url: on a loaded machine (the files run two at a time beside
// other work) a start can take tens of seconds. Each request has a timeout of its own (an accepted
// connection that never answers must not hang the run), and an app that exits ends the wait at once.
async function waitForServer(url, proc, ms) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the app exited (${proc.exitCode ?? proc.signalCode}) before serving ${url}`)
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5000) })).ok) return
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the app did not serve ${url} within ${ms} ms`)
}

// tempDir is a fresh folder for one test file's workspace, downloads and fixtures.
export const tempDir = () => mkdtempSync(join(tmpdir(), 'rosterdesk-e2e-'))

// cli runs the app's command line on the workspace in dir and returns what it printed.
export const cli = (dir, ...args) => execFileSync(bin, ['--workspace', join(dir, 'workspace.db'), ...args], {
  env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), ROSTERDESK_SECRETS: 'file' },
}).toString()

// startApp runs the app on the workspace in dir and opens its window in Chromium. The returned app
// has page, base, downloads, pageErrors, shot(name) and stop(). An app that does not serve within
// serveWithin ms, or exits first, fails the start and is stopped.
export async function startApp(dir, { viewport = { width: 1400, height: 900 }, serveWithin = 90000 } = {}) {
  assert.ok(bin, 'E2E_BIN names the development binary')
  const downloads = join(dir, 'downloads')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const proc = spawn(bin, [], {
    env: { ...process.env, assetdir: dist, devserver: `127.0.0.1:${port}`, ROSTERDESK_WORKSPACE: join(dir, 'workspace.db'), XDG_CONFIG_HOME: join(dir, 'config'),
      ROSTERDESK_SECRETS: 'file', XDG_DOWNLOAD_DIR: downloads },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  // stop ends the browser and the app. It also runs when the start fails: an app left running keeps
  // the test file's process, and so the whole run, waiting for ever.
  let context
  async function stop() {
    await context?.close()
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((ok) => proc.once('exit', ok))
      proc.kill()
      await exited
    }
  }
  try {
    await waitForServer(base, proc, serveWithin)
    context = await chromium.launchPersistentContext(join(dir, 'chromium'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    })
    const page = context.pages()[0] ?? await context.newPage()
    const pageErrors = []
    page.on('pageerror', (e) => { if (!harmless.test(e.message)) pageErrors.push(e.message) })
    await page.goto(base)
    return {
      proc, context, page, base, downloads, pageErrors, stop,
      shot: (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }),
    }
  } catch (e) {
    await stop()
    throw e
  }
}

// removeDir removes a test file's folder once its app has stopped.
export const removeDir = (dir) => rmSync(dir, { recursive: true, force: true, maxRetries: 5 })

// startSSHD runs Debian's OpenSSH server on a loopback port, letting this account in with a key
// generated in dir/ssh, so SFTP tests cross a real SSH connection. Returns { port, stop }.
export async function startSSHD(dir) {
  const keys = join(dir, 'ssh')
  mkdirSync(keys)
  for (const name of ['host', 'user']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keys, name)])
  writeFileSync(join(keys, 'authorized_keys'), readFileSync(join(keys, 'user.pub')))
  if (process.getuid() === 0) mkdirSync('/run/sshd', { recursive: true })
  const port = await freePort()
  writeFileSync(join(keys, 'sshd_config'), [`ListenAddress 127.0.0.1`, `Port ${port}`, `HostKey ${join(keys, 'host')}`, 'PidFile none',
    `AuthorizedKeysFile ${join(keys, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'Subsystem sftp internal-sftp', ''].join('\n'))
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(keys, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] })
  await new Promise((ok, fail) => {
    sshd.stderr.on('data', (d) => { if (String(d).includes('Server listening')) ok() })
    sshd.once('exit', (code) => fail(new Error(`sshd exited with ${code}`)))
  })
  return { port, stop: () => sshd.kill() }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

// accessible runs axe-core on what the page shows now (WCAG 2.1 A and AA rules) and fails on any
// serious or critical violation, naming the rule and the elements.
export async function accessible(page, what) {
  // A toast fading in or out is half transparent, and axe measures its contrast as it is at that moment:
  // wait for finite animations and transitions to end first (spinners loop forever and are left alone).
  await page.waitForFunction(() => document.getAnimations().every((a) =>
    a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity), null, { timeout: 10000 })
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [],
    `${what}: no serious or critical accessibility violations`)
}

// closingText presses Escape and, a frame later while what selector finds is still leaving, returns its
// text (null once gone), and whether a click at its centre or a key would still reach it: a dialog or
// drawer keeps its words through its leave animation, rather than fading out as an empty box, but
// takes no more clicks or keys.
export async function closingText(page, selector) {
  return page.evaluate(async (sel) => {
    document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }))
    await new Promise((done) => requestAnimationFrame(done))
    const el = document.querySelector(sel)
    if (!el) return { text: null, clickable: false, focused: false }
    const r = el.getBoundingClientRect()
    return { text: el.innerText, clickable: el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)), focused: el.contains(document.activeElement) }
  }, selector)
}
