// outcomeSentence builds what a run record says from its data: the vue-i18n key of its reason code
// (outcome.reason.*, one per code of backend/outcome) with its field, message and quoted values. A
// record logged before reasons were stored, or of a code this window does not know, shows its stored
// message as it is.
export interface Outcome {
  field: string
  message: string
  reason?: string
  before?: string
  after?: string
}

type Translate = (key: string, values?: Record<string, unknown>) => string

// Markers a conflict stores for a side's whole record (backend/outcome Deleted and Whole).
const markers: Record<string, string> = { '(deleted)': 'outcome.deleted', '(changed)': 'outcome.whole' }

export function outcomeSentence(t: Translate, te: (key: string) => boolean, r: Outcome): string {
  const key = `outcome.reason.${r.reason}`
  if (!r.reason || !te(key)) return r.message
  const quote = (v = '') => (v === '' ? t('outcome.blank') : Object.hasOwn(markers, v) ? t(markers[v]) : `"${v}"`)
  return t(key, { field: r.field, message: r.message, before: quote(r.before), after: quote(r.after) })
}
