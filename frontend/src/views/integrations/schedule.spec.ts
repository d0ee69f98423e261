import { describe, expect, it } from 'vitest'
import { defaultForm, scheduleForm, scheduleText } from './schedule'

describe('the schedule builder', () => {
  it('writes each kind of schedule as the text the backend parses', () => {
    expect(scheduleText({ ...defaultForm(), every: 'manual' })).toBe('manual')
    expect(scheduleText({ ...defaultForm(), every: 'hourly', minute: 5 })).toBe('hourly :05')
    expect(scheduleText({ ...defaultForm(), every: 'daily', time: '02:00' })).toBe('daily 02:00')
    // Days go in week order, whatever order they were ticked in.
    expect(scheduleText({ ...defaultForm(), every: 'weekly', days: ['wed', 'mon'], time: '06:30' })).toBe('weekly mon,wed 06:30')
  })

  it('reads an integration’s schedule back into the form, and writes it again unchanged', () => {
    for (const text of ['manual', 'hourly :15', 'daily 23:45', 'weekly mon,wed,fri 06:30', 'weekly sun 00:00']) {
      expect(scheduleText(scheduleForm(text))).toBe(text)
    }
    expect(scheduleForm('Weekly Monday,Wednesday 6:30')).toMatchObject({ every: 'weekly', days: ['mon', 'wed'], time: '06:30' })
  })

  it('keeps the defaults for what it does not recognise (the backend then says what is wrong)', () => {
    expect(scheduleForm('fortnightly')).toEqual(defaultForm())
    expect(scheduleForm('')).toEqual(defaultForm())
  })
})
