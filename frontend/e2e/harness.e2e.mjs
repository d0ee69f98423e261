// The harness itself: an app that does not start fails its test file's start and is stopped, never
// left running (a running app keeps the file's process, and so the whole run, waiting for ever).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir, removeDir } from './harness.mjs'

// alive says whether a process is still running (a zombie child counts as gone).
function alive(pid) {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return false
  }
}

test('an app that never serves fails the start within its time and is stopped', async (t) => {
  const dir = tempDir()
  t.after(() => removeDir(dir))
  const fake = join(dir, 'never-serves')
  writeFileSync(fake, `#!/bin/sh\necho $$ > '${join(dir, 'pid')}'\nexec sleep 600\n`)
  chmodSync(fake, 0o755)
  process.env.E2E_BIN = fake
  const { startApp } = await import('./harness.mjs?never-serves')
  const started = Date.now()
  await assert.rejects(startApp(dir, { serveWithin: 2000 }), /did not serve .* within 2000 ms/)
  assert.ok(Date.now() - started < 15000, 'the start gives up in about the time given')
  const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'))
  assert.equal(alive(pid), false, 'the app that never served is stopped')
})

test('an app that exits at once fails the start at once, saying so', async (t) => {
  const dir = tempDir()
  t.after(() => removeDir(dir))
  const fake = join(dir, 'exits')
  writeFileSync(fake, '#!/bin/sh\nexit 3\n')
  chmodSync(fake, 0o755)
  process.env.E2E_BIN = fake
  const { startApp } = await import('./harness.mjs?exits')
  const started = Date.now()
  await assert.rejects(startApp(dir), /the app exited \(3\) before serving/)
  assert.ok(Date.now() - started < 15000, 'no waiting out the whole start time')
})
