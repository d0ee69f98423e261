import { describe, expect, it } from 'vitest'
import { i18n } from '../langs'
import { stageName, stagePercent, stageVerb } from './stage'

const { t, te } = i18n.global
const progress = (done: number, total: number) => ({ stage: '', done, total, unit: 'bytes', rate: 0 })

// One naming of a job's stages for JobPanel and the re-sync form's message.
describe('a job\'s stage', () => {
  it('is named through the language file, with the entity it works on as people read it', () => {
    expect(stageName(t, te, 'copying')).toBe('Copying the file')
    expect(stageName(t, te, 'exporting users')).toBe('Writing users')
    expect(stageName(t, te, 'exporting academicSessions')).toBe('Writing academic sessions')
    expect(stageName(t, te, '')).toBe('Starting')
  })

  it('takes a job\'s own names first, then the common ones, and shows an unknown stage as it is', () => {
    expect(stageName(t, te, 'restoring', 'undo.stage')).toBe('Putting records back')
    expect(stageName(t, te, 'applying', 'undo.stage')).toBe('Applying to the roster')
    expect(stageName(t, te, 'pondering things')).toBe('pondering things')
  })

  it('says its step and how far it is', () => {
    expect(stageVerb('exporting users')).toBe('exporting')
    expect(stageVerb('')).toBe('starting')
    expect(stagePercent(progress(1, 3))).toBe(33)
    expect(stagePercent(progress(5, 4))).toBe(100)
    expect(stagePercent(progress(5, 0))).toBe(0)
  })
})
