// Re-pull by IDs from a source in the real app: a student's name changes at the source; her
// enrollment is re-pulled with its dependencies by pasted IDs on the Verify screen, the message
// beside the button says fetching, then importing, then the run; the student is updated, a student
// not chosen is not, one gone from the source is not deleted, and the run is in History (By IDs).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli as cliOf, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, cli, source

const USERS = 'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n'
const ana = 'u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\n'
const ben = 'u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n'
const tia = 't1,,,true,tia,,Tia,Marsh,,9001,tia@example.org,,,,,,,,,,s1,\n'

// writeDistrict writes the source's folder: a school with one class, two students and a teacher.
function writeDistrict(users) {
  const files = {
    'manifest.csv': 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.academicSessions,bulk\nfile.courses,bulk\nfile.classes,bulk\n' +
      'file.users,bulk\nfile.roles,bulk\nfile.enrollments,bulk\nfile.demographics,absent\nfile.userProfiles,absent\nsource.systemName,Test SIS\nsource.systemCode,T\n',
    'orgs.csv': 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,,,Springfield District,district,D1,\ns1,,,Evergreen Elementary School,school,S1,d1\n',
    'academicSessions.csv': 'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\ny1,,,2026-2027,schoolYear,2026-08-15,2027-06-15,,2027\n',
    'courses.csv': 'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\nc1,,,y1,Grade 3 Math,M3,03,s1,Math,\n',
    'classes.csv': 'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n' +
      'k1,,,Math 3A,03,c1,M3A,scheduled,Room 4,s1,y1,Math,,1\n',
    'users.csv': USERS + users.join(''),
    'roles.csv': 'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n' +
      users.map((u) => u.split(',')[0]).map((id) => `r-${id},,,${id},primary,${id.startsWith('t') ? 'teacher' : 'student'},,,s1,\n`).join(''),
    'enrollments.csv': 'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n' +
      users.map((u) => u.split(',')[0]).map((id) => `e-${id},,,k1,s1,${id},${id.startsWith('t') ? 'teacher,true' : 'student,'},,\n`).join(''),
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(source, name), text)
}

before(async () => {
  dir = tempDir()
  cli = (...args) => cliOf(dir, ...args)
  source = join(dir, 'sis')
  mkdirSync(source)
  writeDistrict([ana, ben, tia])
  cli('connection', 'add', 'District SIS', '--kind', 'oneroster-csv', '--set', `path=${source}`)
  cli('import', 'District SIS')
  app = await startApp(dir)
  page = app.page
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const field = (id, name) => JSON.parse(cli('roster', 'show', 'users', id, '--json')).fields.find((f) => f.name === name).value
const status = (id) => JSON.parse(cli('roster', 'show', 'users', id, '--json')).status

test('Re-pull an enrollment with its dependencies from a source by pasted IDs: its student is updated, nothing else changes', async () => {
  // At the source Ana is now Anna, Tia is now Tiana, and Ben has left.
  writeDistrict([ana.replace(',Ana,', ',Anna,'), tia.replace(',Tia,', ',Tiana,')])

  await page.keyboard.press('Control+9')
  await page.getByTestId('verify-view').locator('.n-tabs-tab').filter({ hasText: 'Re-sync by IDs' }).click()
  await page.getByTestId('resync-object-enrollments').click()
  await page.getByTestId('resync-ids').locator('textarea').fill('e-u1\nnobody-here')
  await page.getByTestId('resync-count').filter({ hasText: '2 IDs' }).waitFor()
  await page.getByTestId('resync-target').click()
  await page.locator('.n-base-select-option').filter({ hasText: 'District SIS — source: re-pull from it' }).click()
  assert.match(await page.getByTestId('resync-direction').innerText(), /Fetches District SIS afresh/)
  assert.equal(await page.getByTestId('resync-deps').getAttribute('aria-checked'), 'true')
  await accessible(page, 'the re-sync form with a source chosen')

  await page.getByTestId('resync-run').click()
  await page.getByTestId('resync-message').filter({ hasText: /^Run \d+ finished\.$/ }).waitFor()
  const run = Number((await page.getByTestId('resync-message').innerText()).match(/Run (\d+)/)[1])
  assert.match(await page.getByTestId('resync-not-found').innerText(), /not in the source’s fetch[\s\S]*nobody-here/)
  await app.shot('repull-done')
  await accessible(page, 'a re-pull with an ID not found')

  assert.equal(field('u1', 'givenName'), 'Anna', 'the enrollment brought its student anew')
  assert.equal(field('t1', 'givenName'), 'Tia', 'a user not depended on is left as it was')
  assert.equal(status('u2'), 'active', 'a re-pull deletes nothing')

  const shown = JSON.parse(cli('runs', 'show', String(run), '--json'))
  assert.equal(shown.run.mode, 'ids')
  assert.equal(shown.run.direction, 'import')
  assert.equal(shown.run.counts.users.updated, 1)
  assert.equal(shown.run.counts.enrollments.skipped, 1)

  await page.getByTestId('resync-history').click()
  await page.getByTestId('run-mode').filter({ hasText: 'By IDs' }).waitFor()
  await page.getByTestId('record-row').filter({ hasText: 'u1' }).first().waitFor()
  await app.shot('repull-history')
  assert.deepEqual(app.pageErrors, [])
})
