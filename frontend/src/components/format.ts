const numbers = new Intl.NumberFormat('en-US')

export const count = (n: number | undefined) => numbers.format(n ?? 0)

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

// percent shows a share (0..1) as a whole percent.
export const percent = (n: number) => `${Math.round(n * 100)} %`

// amount formats a progress figure in its unit.
export const amount = (n: number, unit: string) => (unit === 'bytes' ? bytes(n) : count(Math.round(n)))

// when shows a stored UTC time in the user's local time, as toLocaleString() would; one formatter
// for every date (toLocaleString builds one per call, 70 ms for the dashboard's first cards).
const dates = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' })
export function when(iso: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dates.format(d)
}

type TagType = 'default' | 'success' | 'error' | 'warning'
const runTags: Record<string, TagType> = { succeeded: 'success', failed: 'error', held: 'warning', interrupted: 'warning' }

// runTag is the tag colour of a run status.
export const runTag = (status: string): TagType => runTags[status] ?? 'default'

// entityName is an entity as people read it (entity.* in the language file), or its own name when
// the language has none.
export const entityName = (t: (key: string) => string, te: (key: string) => boolean, e: string) => (te(`entity.${e}`) ? t(`entity.${e}`) : e)
