// The schedule builder's form and the schedule text the backend parses ("manual", "hourly :15",
// "daily 02:00", "weekly mon,wed 06:30"): the dialog edits the form, the backend gets the text and
// answers what it means and when it runs next.

export const EVERY = ['manual', 'hourly', 'daily', 'weekly'] as const
export type Every = (typeof EVERY)[number]
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Day = (typeof DAYS)[number]

export interface ScheduleForm {
  every: Every
  minute: number // past the hour, for hourly
  time: string // HH:MM, for daily and weekly
  days: Day[] // for weekly
}

export const defaultForm = (): ScheduleForm => ({ every: 'manual', minute: 0, time: '02:00', days: ['mon'] })

const two = (n: number) => String(n).padStart(2, '0')

// scheduleText writes the form as the backend's schedule text; days go in week order whatever order
// they were ticked in.
export function scheduleText(f: ScheduleForm): string {
  switch (f.every) {
    case 'hourly':
      return `hourly :${two(f.minute)}`
    case 'daily':
      return `daily ${f.time}`
    case 'weekly':
      return `weekly ${DAYS.filter((d) => f.days.includes(d)).join(',')} ${f.time}`
    default:
      return 'manual'
  }
}

// scheduleForm reads a canonical schedule text (an integration being edited) back into the form; what
// it does not recognise leaves the defaults, and the backend's check then says what is wrong.
export function scheduleForm(text: string): ScheduleForm {
  const f = defaultForm()
  const [every = '', ...rest] = text.trim().toLowerCase().split(/\s+/)
  if (!(EVERY as readonly string[]).includes(every)) return f
  f.every = every as Every
  const time = rest.find((w) => /^\d{1,2}:\d{2}$/.test(w))
  if (time) f.time = time.padStart(5, '0')
  const minute = rest.find((w) => /^:\d{1,2}$/.test(w))
  if (minute) f.minute = Number(minute.slice(1))
  const days = rest.find((w) => /^[a-z,]+$/.test(w))
  if (days) f.days = DAYS.filter((d) => days.split(',').some((w) => w.startsWith(d)))
  return f
}
