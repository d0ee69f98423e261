import type { Progress } from '../api/types'

type Translate = (key: string, values?: Record<string, unknown>) => string

// stageVerb is the step a job's stage names ("exporting users" → "exporting"); none yet is "starting".
export const stageVerb = (stage: string) => (stage || 'starting').split(' ')[0]

// stageName is what a job is doing, in words: its stage through the language file, a job's own stage
// names (stages, e.g. 'duplicates.stage') looked up before job.stage, with the entity a stage may
// name ("exporting users") as people read it. A stage the language has no words for shows as it is.
export function stageName(t: Translate, te: (key: string) => boolean, stage: string, stages?: string): string {
  const verb = stageVerb(stage)
  const what = stage.split(' ')[1] ?? ''
  const key = [stages ? `${stages}.${verb}` : '', `job.stage.${verb}`].find((k) => k && te(k))
  return key ? t(key, { what: te(`entity.${what}`) ? t(`entity.${what}`).toLowerCase() : what }) : stage
}

// stagePercent is how far a job is, as a whole percent (0 while it has no total).
export const stagePercent = (p: Progress) => (p.total > 0 ? Math.min(100, Math.round((100 * p.done) / p.total)) : 0)
