// Run outcomes as data in the real app (see harness.mjs): a source's student is renamed from Ana to
// Anna between two imports made with the CLI. History lists each run's mode and operator; the second
// run's page shows both, and its record of the changed field reads the sentence the window builds
// from the stored reason, before and after (givenName: "Ana" → "Anna"); the record page's runs say
// the same; the CLI's report carries the raw reason, before and after columns.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli as cliOf, tempDir, startApp, removeDir, accessible } from './harness.mjs'

let dir, app, page, cli, source

const USERS = 'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n'

// writeDistrict writes the source's folder: a school, a class, the student given and a teacher.
function writeDistrict(givenName) {
  const files = {
    'manifest.csv': 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.academicSessions,bulk\nfile.courses,bulk\nfile.classes,bulk\n' +
      'file.users,bulk\nfile.roles,bulk\nfile.enrollments,bulk\nfile.demographics,absent\nfile.userProfiles,absent\nsource.systemName,Test SIS\nsource.systemCode,T\n',
    'orgs.csv': 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,,,Springfield District,district,D1,\ns1,,,Evergreen Elementary School,school,S1,d1\n',
    'academicSessions.csv': 'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\ny1,,,2026-2027,schoolYear,2026-08-15,2027-06-15,,2027\n',
    'courses.csv': 'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\nc1,,,y1,Grade 3 Math,M3,03,s1,Math,\n',
    'classes.csv': 'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n' +
      'k1,,,Math 3A,03,c1,M3A,scheduled,Room 4,s1,y1,Math,,1\n',
    'users.csv': USERS + `u1,,,true,ana,,${givenName},Lopez,,1001,ana@example.org,,,,03,,,,,,s1,\n` + 't1,,,true,tia,,Tia,Marsh,,9001,tia@example.org,,,,,,,,,,s1,\n',
    'roles.csv': 'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n' +
      'r-u1,,,u1,primary,student,,,s1,\nr-t1,,,t1,primary,teacher,,,s1,\n',
    'enrollments.csv': 'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n' +
      'e-u1,,,k1,s1,u1,student,,,\ne-t1,,,k1,s1,t1,teacher,true,,\n',
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(source, name), text)
}

let renamed // the run that renamed Ana
before(async () => {
  dir = tempDir()
  cli = (...args) => cliOf(dir, ...args)
  source = join(dir, 'sis')
  mkdirSync(source)
  writeDistrict('Ana')
  cli('connection', 'add', 'District SIS', '--kind', 'oneroster-csv', '--set', `path=${source}`)
  cli('import', 'District SIS')
  writeDistrict('Anna')
  cli('fetch', 'District SIS')
  renamed = JSON.parse(cli('import', 'District SIS', '--json')).run
  app = await startApp(dir)
  page = app.page
})

after(async () => {
  await app?.stop()
  if (dir) removeDir(dir)
})

const drawer = () => page.locator('.n-drawer')

test('History lists each run\'s mode and operator; a run\'s page shows both and builds the sentence of a changed field from its data', async () => {
  await page.getByTestId('nav-history').click()
  const rows = page.getByTestId('history-row')
  await rows.nth(1).waitFor()
  assert.deepEqual(await rows.getByTestId('history-mode').allInnerTexts(), ['Full', 'Full'])
  const operators = await rows.getByTestId('history-operator').allInnerTexts()
  assert.equal(operators.length, 2)
  assert.ok(operators.every((o) => o.trim() !== ''), `each run names its operator: ${operators}`)
  await accessible(page, 'History with its Mode and Operator columns')
  await app.shot('outcomes-01-history')

  await rows.first().click() // the newest: the one that renamed Ana
  await drawer().locator('.n-drawer-header').filter({ hasText: new RegExp(`Run ${renamed}\\b`) }).waitFor()
  assert.equal((await drawer().getByTestId('run-mode').innerText()).trim(), 'Full')
  assert.equal((await drawer().getByTestId('run-operator').innerText()).trim(), operators[0].trim())
  const change = drawer().getByTestId('record-row').filter({ hasText: 'givenName' })
  await change.waitFor()
  assert.match(await change.innerText(), /u1\s+update\s+givenName\s+givenName: "Ana" → "Anna"/)
  await accessible(page, 'a run\'s page with its mode, operator and built sentences')
  await app.shot('outcomes-02-run')
  await page.keyboard.press('Escape')
  assert.deepEqual(app.pageErrors, [])
})

test('the report of the run carries the raw reason, before and after beside the sentence', () => {
  const out = join(dir, 'report.csv')
  cli('runs', 'report', String(renamed), '--format', 'csv', '--out', out)
  const lines = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  assert.equal(lines[0], 'entity,sourcedId,action,status,field,details,reason,before,after')
  assert.ok(lines.includes('users,u1,update,ok,givenName,"givenName: ""Ana"" → ""Anna""",changed,Ana,Anna'), lines.join('\n'))
})
