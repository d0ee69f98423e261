// The shapes the Go facades (backend/api) return, as plain objects.

export const ENTITIES = ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'roles', 'demographics', 'enrollments'] as const
export type Entity = (typeof ENTITIES)[number]
export const BROWSABLE = ['orgs', 'classes', 'users', 'enrollments'] as const
export type Browsable = (typeof BROWSABLE)[number]

export interface Option {
  key: string
  label: string
  help: string
  type: 'text' | 'path' | 'choice' | 'number' | 'secret' | 'columns'
  required: boolean
  default: string
  choices: string[] | null
  multiline: boolean
  roles: string[] | null
}

export interface Kind {
  kind: string
  label: string
  roles: string[]
  options: Option[]
}

export interface EntityCounts {
  created: number
  updated: number
  deleted: number
  unchanged: number
  failed: number
  skipped: number // not let through by the connection's selection
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'held' | 'cancelled' | 'interrupted'

export interface Run {
  run: number
  connectionId: number
  connection: string
  direction: string
  mode: string
  operator: string
  status: RunStatus
  startedAt: string
  finishedAt: string
  counts: Partial<Record<Entity, EntityCounts>> | null
  message: string
  integrationId?: number // the integration it was a run of
  integration?: string // that integration's name ('' once removed)
  trigger?: 'schedule' | '' // 'schedule' when the schedule started it, else its operator did
  undoOf?: number // an undo: the run it undid
  undoneBy?: number // the undo that undid this run
}

// UndoCounts say, for one entity, what undoing an import run does; UndoPreview says it per entity,
// or why the run cannot be undone (refused).
export interface UndoCounts {
  removed: number // records the run created, removed
  restored: number // records whose fields go back to their values before the run
  fields: number // fields put back, in all
  revived: number // records the run marked tobedeleted, active again
  left: number // records other sources supply that the run's source joined: it no longer does
  gone: number // records the run changed that are no longer in the roster: nothing to put back
}
export interface UndoPreview {
  run: number
  counts: Record<string, UndoCounts>
  refused: string
}

// RecordQuery narrows a run's logged records; empty fields do not filter; search is part of a record's ID.
export interface RecordQuery {
  entity: string
  action: string
  status: string
  search: string
  offset: number
  limit: number
}

// RecordPage is a page of a run's records (failures first) and how many match in all.
export interface RecordPage {
  records: RunRecord[]
  total: number
}

// RecordChoices are the entities, actions and statuses a run's log has.
export interface RecordChoices {
  entities: string[]
  actions: string[]
  statuses: string[]
}

// HistoryCounts says what clearing the history does: the runs deleted and those kept (running or held for review).
export interface HistoryCounts {
  cleared: number
  kept: number
}

// RunQuery narrows the history; empty fields do not filter. from/to bound the start (to excluded), in
// the workspace's UTC time layout; search is a run's number or a record's ID in the runs' logs.
export interface RunQuery {
  connectionId: number
  direction: string
  mode?: string
  status: string
  from: string
  to: string
  search: string
  limit: number
}

export type Direction = 'import' | 'export'

export interface RunRecord {
  entity: string
  sourcedId: string
  action: string
  status: 'ok' | 'failed' | 'skipped'
  field: string
  message: string // words from outside no reason code carries (a server's reply, a reader's finding)
  reason?: string // backend/outcome's code; '' for records logged before reasons were stored
  before?: string
  after?: string
}

export interface TestOutcome {
  at: string // '' when never tested
  ok: boolean
  message: string
}

export interface ConnectionCard {
  id: number
  name: string
  kind: string
  kindLabel: string
  role: string
  settings: Record<string, string>
  createdAt: string
  lastFetch: string
  lastRun: Run | null
  lastTest: TestOutcome
  canFetchChanges: boolean // an API source already imported once can send only what changed
}

// NewConnection adds a connection, or edits one (name, kind and role then stay); a secret left empty
// in an edit keeps its stored value.
export interface NewConnection {
  name: string
  kind: string
  role: string
  settings: Record<string, string>
  secrets: Record<string, string>
}

// HostKey is a server key the user may trust after comparing its fingerprint.
export interface HostKey {
  host: string
  fingerprint: string
  key: string
  setting: string
}

export interface TestResult extends TestOutcome {
  hostKey: HostKey | null
}

export interface Finding {
  file: string
  line: number
  column: string
  message: string
  severity: 'warning' | 'error'
}

export interface FetchResult {
  connection: string
  version: string
  source: string
  fetchedAt: string
  modes: Partial<Record<Entity, 'bulk' | 'delta' | 'absent'>>
  counts: Partial<Record<Entity, number>>
  failed: Partial<Record<Entity, number>>
  warnings: Finding[]
  errors: Finding[]
}

export interface Progress {
  stage: string
  done: number
  total: number
  unit: 'bytes' | 'records' | string
  rate: number
}

export interface AppErrorData {
  code: string
  message: string
  details?: { file?: string; line?: number; column?: string; field?: string; needs?: string } | null
}

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface Job<T = unknown> {
  id: string
  kind: string
  status: JobStatus
  progress: Progress
  result?: T
  error?: AppErrorData
}

export interface BrowsePage {
  columns: string[]
  total: number
  rows: string[][]
}

export interface RosterCounts {
  active: Partial<Record<Entity, number>>
  deleted: Partial<Record<Entity, number>>
}

// ---- Roster browser: filters and bulk actions ----

// RosterFilter narrows the roster browser; '' does not filter. Users: school (a role at it), grade,
// status, role (at the school when both are set); classes: school, grade; orgs: type.
export interface RosterFilter {
  school: string
  grade: string
  status: string
  role: string
  type: string
}
export type RosterFilterName = keyof RosterFilter

// BrowseQuery is what the roster browser shows: a tab, the search, the filters, the columns' own
// filters (column -> text it contains, any case) and the column it is sorted by ('' for sourcedId).
export interface BrowseQuery {
  entity: Browsable
  search: string
  filter: RosterFilter
  match: Record<string, string>
  sort: string
  desc: boolean
}
export const ROSTER_FILTERS: Partial<Record<Browsable, RosterFilterName[]>> = {
  users: ['school', 'grade', 'status', 'role'],
  classes: ['school', 'grade'],
  orgs: ['type'],
}
// The statuses the users filter offers, as the selection wizard counts them (inactive: enabledUser false).
export const ROSTER_USER_STATUSES = ['active', 'inactive', 'tobedeleted'] as const

export interface FilterChoice {
  value: string
  label: string
}

// RosterFilterChoices are what the filters offer, from the roster: schools by name, grades in school order.
export interface RosterFilterChoices {
  schools: FilterChoice[]
  grades: string[]
  roles: string[] | null
  orgTypes: string[] | null
}

// FilteredIDs are the IDs of everything a filtered view matches (at most 200,000; total says how many match).
export interface FilteredIDs {
  ids: string[]
  total: number
}

// OrgsAdded says what adding orgs to a target's selection changes: those added (with the classes
// chosen with them), those it sent already, and those passed over (gone, or being deleted).
export interface OrgsAdded {
  added: string[]
  already: string[]
  missing: string[]
  classes: number
}

// ---- end of Roster browser ----

export type Theme = 'auto' | 'light' | 'dark'

// SpreadsheetPreview is the top of a spreadsheet, for choosing which roster field each column fills.
export interface SpreadsheetPreview {
  sheets: string[] | null
  sheet: string
  headers: string[]
  rows: string[][]
  // note says when the file's content and its name disagree (a workbook named .csv), and how it was read
  note: string
  fields: string[]
  suggested: Record<string, string>
}

// A selection is what a connection lets through (SPEC §5). Saved false means nobody has chosen yet:
// everything goes through.
export const USER_STATUSES = ['active', 'inactive', 'deleted', 'blank'] as const
export type UserStatus = (typeof USER_STATUSES)[number]

export interface Selection {
  saved: boolean
  orgsAll: boolean // every org, also those a later fetch adds
  orgs: string[] | null
  classesAll: boolean // every class of the chosen orgs, also later ones
  classes: string[] | null
  statuses: UserStatus[]
  withoutEnrollments: boolean
  guardians: boolean // also the guardians and parents of the users who go through
  holdDelete: number // percent of an entity's existing records
  holdChange: number
  held?: boolean // the wizard's draft whose long lists the backend holds (see the store)
}

export interface OrgRow {
  id: string
  name: string
  type: string
  identifier: string
  parent: string
  classes: number
  users: number
  selected: boolean
  covered: boolean // not chosen itself, but sent by a chosen org above it (its district)
}

export interface ClassRow {
  id: string
  title: string
  code: string
  type: string
  school: string
  schoolId: string
  enrollments: number
  selected: boolean
}

export interface StatusCount {
  status: UserStatus
  role: string
  count: number
}

// SelectionView is a selection with the users the chosen orgs and classes reach per status and role,
// how many records of each entity go through, and how many guardians and parents the source has.
// The lists to pick from come page by page (PickPage).
// SetupOf names the integration a selection is of, and its connection.
export interface SetupOf {
  id: number
  name: string
  connectionId: number
  connectionName: string
}

export interface SelectionView {
  integration: SetupOf
  selection: Selection
  from: string
  users: StatusCount[]
  totals: Partial<Record<Entity, number>>
  guardians: number
}

// ListQuery asks for one page of the schools or classes step, searched, filtered and sorted by the backend.
export interface ListQuery {
  what: SheetKind
  search: string
  onlyChosen: boolean
  sort: string // a column's key; '' is the default order
  desc: boolean
  offset: number
  limit: number
}

// PickPage is one page of a pick list with the counts of the whole list.
export interface PickPage {
  orgs: OrgRow[]
  classes: ClassRow[]
  matched: number // rows the search and "only chosen" show
  listed: number
  chosen: number // rows of the list that are ticked
}

// ChooseQuery ticks (on) or unticks rows: the ids given, or with none every row the query shows.
export interface ChooseQuery extends ListQuery {
  ids: string[]
  on: boolean
}

// Chosen is the selection after ticks, with the page the query shows. split names the orgs chosen
// whole (districts) that an unticked school made choose their other schools one by one instead.
export interface Chosen {
  selection: Selection
  page: PickPage
  split: string[]
  instead: number
  unticked: string[]
}

export type SheetKind = 'orgs' | 'classes'

// SheetFinding is a problem on one row of an uploaded spreadsheet, numbered as the spreadsheet program shows it.
export interface SheetFinding {
  row: number
  column: string
  message: string
}

// SheetResult is what an uploaded spreadsheet would change; nothing is saved until its selection is.
export interface SheetResult {
  upload: { sheet: string; rows: number; selected: string[]; findings: SheetFinding[] }
  before: number
  after: number
  added: string[] // the first 50
  removed: string[] // the first 50
  selection: Selection
}

// Plan is what a run would do, computed without changing anything.
export interface Plan {
  connection: string
  direction: Direction
  mode: 'full' | 'selective'
  counts: Partial<Record<Entity, EntityCounts>>
  records: RunRecord[] // updates (one per field), deletes, skips and failures; creates are only counted
  more: number // records left out of the list
  hold: string // why applying it would be held; '' when it would not
}

export type ExportMode = 'bulk' | 'delta'
export type LogFormat = 'csv' | 'xlsx' | 'pdf'

// Several sources feed one roster (SPEC §7). A source's precedence decides, field by field, whose
// value the roster keeps: the highest source that has one. ids says whether its sourcedIds are shared
// with the other sources (the same ID is the same record) or its own.
export interface Source {
  id: number
  name: string
  kind: string
  kindLabel: string
  precedence: number // 1 first
  ids: 'shared' | 'own' | string
}

// SourceValue is what one source says a conflicting field holds.
export interface SourceValue {
  connection: string
  sourcedId: string
  value: string
}

// Conflict is a field two or more sources fill with different values; kept names the source whose
// value the roster keeps.
export interface Conflict {
  entity: string
  record: string
  field: string
  values: SourceValue[]
  kept: string
  keptValue: string
}

export interface ConflictQuery {
  entity: string // '' every entity
  field: string // '' every field
  search: string
  offset: number
  limit: number // at most 1000; saveConflicts writes every match whatever it is
}

export interface ConflictPage {
  total: number
  rows: Conflict[]
  fields: string[] | null // the fields that have conflicts, for the filter
}

// A roster record as the record panel shows it: each value with the source it came from ('' none).
export interface RecordField {
  name: string
  value: string
  from: string
  chosen?: boolean // chosen by a registrar in a merge of duplicates: it stays whatever sources send
}

// MergeNote is a merge of duplicate people a record is part of.
export interface MergeNote {
  pair: number
  primary: string
  secondary: string
  outcome: 'delete' | 'ignore'
  run: number
}

export interface RecordOrigin {
  connectionId: number
  connection: string
  sourcedId: string
  live: boolean // false: the source deleted the record or left it out of a complete file
  precedence: number
}

// RecordRun is a run that created, changed or failed on a record.
export interface RecordRun {
  run: number
  startedAt: string
  connection: string
  direction: string
  action: string
  status: string
  field: string
  message: string
  reason?: string // as a RunRecord's
  before?: string
  after?: string
}

export interface RecordView {
  entity: string
  id: string // the roster sourcedId, what targets see
  status: string
  dateLastModified: string
  fields: RecordField[]
  metadata: RecordField[] | null
  origins: RecordOrigin[]
  conflicts: Conflict[] | null
  runs: RecordRun[] | null
  merges?: MergeNote[] | null
}

// RemovalImpact counts per entity the records only a source supplies and those others supply too.
export interface RemovalImpact {
  only: Partial<Record<Entity, number>> | null
  shared: Partial<Record<Entity, number>> | null
}

// Duplicate people (SPEC §7). A pair is two roster users a domain of uniqueness claimed; its evidence
// compares them field by field.
export type PairStatus = 'pending' | 'merged' | 'ignored' | 'new'

export interface Evidence {
  field: string
  left: string
  right: string
  similarity: number // 0..1
  level: 'same' | 'similar' | 'different' | 'missing' | string
  note?: string // e.g. "nickname", "day and month transposed"
  weight: number
}

export interface DuplicatePair {
  pair: number
  domain: string
  score: number // 0..1
  left: string // roster sourcedIds
  right: string
  status: PairStatus
  unattended: boolean
  evidence: Evidence[] | null
  school: string
  schoolName: string
  leftName: string
  rightName: string
  foundAt: string
  decidedRun: number // 0 while pending
  primary: string // merged or ignored: the record kept
}

export interface PairQuery {
  status: PairStatus | '' // '' every status
  domain: string
  school: string
  search: string
  offset: number
  limit: number
}

export interface PairPage {
  total: number
  pairs: DuplicatePair[] | null
  domains: string[] | null
  schools: { id: string; name: string }[] | null
  counts: Partial<Record<PairStatus, number>> | null
}

export interface DuplicateScan {
  run: number // the run of the unattended merges, 0 when none
  people: number
  candidates: number
  found: number
  new: number
  pending: number
  merged: number
  skippedBlocks: number
  seconds: number
}

// MergeField is one row of the side-by-side merge: a value per record (in MergeView.records order) and
// the record whose value the merged record keeps unless the registrar chooses another.
export interface MergeField {
  name: string
  values: string[]
  differ: boolean
  default: number
}

export interface MergeMove {
  entity: string
  sourcedId: string
  from: string
  description: string
}

export interface MergeView {
  pair: DuplicatePair
  records: string[] // the first is the primary
  names: string[]
  sources: (string[] | null)[] | null
  fields: MergeField[]
  moves: MergeMove[] | null
}

export type MergeOutcome = 'delete' | 'ignore' | 'new'

export interface MergeDecision {
  primary: string
  secondaries: string[] | null
  outcome: MergeOutcome
  values: Record<string, string> // field → value, where not the default
}

// The domains of uniqueness, in priority order, as `duplicates domains show` prints them.
export interface DomainRule {
  field: string
  compare: string
  threshold?: number
}

export interface Domain {
  name: string
  mode: 'unattended' | 'manual'
  rules: DomainRule[]
  minScore?: number
}

export interface DomainsConfig {
  domains: Domain[]
}

// ---- Mapping (SPEC §6): a target's fields, filled from roster fields, codes or expressions ----

export type MappingType = 'none' | 'direct' | 'codes' | 'transformation'
export type Unmatched = 'default' | 'blank' | 'fail'

// MappingField is one target field; codes is the code table as an object in its order ({"female": "F"}).
export interface MappingField {
  to: string
  type: MappingType
  from?: string
  expr?: string
  codes?: Record<string, string> | null
  unmatched?: Unmatched
  default?: string
  key?: boolean
  overwrite?: boolean | null // null or absent: on
}

export interface Mapping {
  entity: string
  fields: MappingField[]
  only?: string // a condition a record must meet to be sent (e.g. role == "student"); export mappings only
  import?: boolean // a source's fields → roster fields; set by the backend, kept when sent back
}

// MappingProblem is what is wrong with a field (its index), with where in its expression when known.
export interface MappingProblem {
  field: number
  to: string
  line: number
  column: number
  message: string
}

export interface MappingHelper {
  name: string
  signature: string
  help: string
  example: string
}

export type MappingDirection = 'export' | 'import'

// MappingTarget is a connection with a mapping: a rest-push target (export: the entities it has an
// endpoint for) or a source (import: every roster entity).
// MappingTarget is an integration whose records are mapped: an export to an API, an import or a sync.
export interface MappingTarget {
  id: number // the integration's
  name: string
  connectionId: number
  connectionName: string
  own: boolean // the connection's own integration of its direction, which its card opens
  direction: MappingDirection
  entities: string[]
  // problem says why the target cannot be opened (a secret not stored here); '' when it can.
  problem: string
}

export interface MappingView {
  integrationId: number
  entity: string
  mapping: Mapping
  saved: boolean // false: the default mapping, never saved
  readable: string[] // the source fields a mapping can read
  writable: string[] // import: the roster fields a field may fill (metadata.NAME too, not listed); export: []
  helpers: MappingHelper[]
}

export interface MappingExample {
  id: string
  label: string
}

export interface MappedValue {
  to: string
  value: unknown
  error?: string
}

// MappingPreview is one record mapped with the mapping as edited: each field's value and the exact request.
export interface MappingPreview {
  recordId: string
  values: MappedValue[] | null
  failed: boolean
  error: string
  // excluded: the mapping's condition leaves it out; import: what an import puts in the roster
  action: 'create' | 'update' | 'unchanged' | 'excluded' | 'import'
  method: string // '' for import
  url: string // '' for import
  payload: string // export: the request's body; import: what the roster gets for the mapped fields
  problems: MappingProblem[] | null
}

// TestSend is the answer to one record sent: the API's status and body, or why it was not delivered.
export interface TestSend {
  run: number
  method: string
  url: string
  payload: string
  status: number
  body: string
  error: string
}

// RosterSummary is what the dashboard says of the roster: records per entity (those being deleted left
// out), the last import from a source, and the conflicts and duplicate pairs waiting for the registrar.
export interface RosterSummary {
  counts: Partial<Record<Entity, number>>
  lastImport: Run | null
  conflicts: number
  duplicates: number
}

// WorkspaceInfo is the open workspace's file, its connections and the folder of the logs.
export interface WorkspaceInfo {
  path: string
  connections: number
  logs: string
}

// ---- Integrations (SPEC §1; issue 15) ----

export type IntegrationType = 'import' | 'export' | 'sync'
export type ConflictPolicy = 'workspace' | 'external' | 'newest' | 'ask'
// The entity tasks an integration may be limited to (none listed: all of them).
export const ENTITY_TASKS = ['schools', 'sessions', 'courses', 'classes', 'students', 'teachers', 'guardians', 'enrollments', 'demographics'] as const
export type EntityTask = (typeof ENTITY_TASKS)[number]

// Integration is one flow of a connection: import (source → roster), export (roster → target) or two-way
// sync, with its entity tasks, schedule (canonical text, and in words) and state. nextRun is '' when manual
// or disabled.
export interface Integration {
  id: number
  name: string
  type: IntegrationType
  connectionId: number
  connection: string
  connectionKind: string
  entities: string[] | null
  schedule: string
  scheduleText: string
  conflict: ConflictPolicy | ''
  enabled: boolean
  lastRunId: number
  lastResult: RunStatus | 'skipped' | ''
  lastRunAt: string
  nextRun: string
  running: boolean
  jobId?: string // the job of the run this window is running (Run now or its scheduler); '' when none
  jobScheduled?: boolean // that run was started by the window's scheduler (not Run now)
}

// IntegrationInput adds an integration (id 0) or edits one.
export interface IntegrationInput {
  id: number
  name: string
  type: IntegrationType
  connectionId: number
  entities: string[]
  schedule: string
  conflict: ConflictPolicy | ''
  // The safety hold's thresholds in percent; null keeps them (a new integration's are its connection's own integration's).
  holdDelete: number | null
  holdChange: number | null
}

// IntegrationSetup is what the integration dialog shows of an integration's setup.
export interface IntegrationSetup {
  holdDelete: number
  holdChange: number
  everything: boolean // its selection lets everything through
  mapped: string[] | null // entities with a saved mapping
}

// ScheduleCheck is a schedule's text checked by the backend: canonical, in words, its next three runs,
// or what is wrong with it.
export interface ScheduleCheck {
  text: string
  describe: string
  next: string[] | null
  error: string
}

// OSSchedule is what the operating system runs every five minutes while the window is closed
// (a crontab line, a launchd agent, a Task Scheduler task), registered or as it would be.
export interface OSSchedule {
  registered: boolean
  kind: string
  where: string
  command: string
  text: string
  // why the computer's scheduler would not say whether the entry is there, and where to look
  unknown?: string
}

// SyncConflict is a field a sync with the policy "ask" found changed on both sides, waiting for the
// registrar to choose a side.
export interface SyncConflict {
  key: string
  entity: string
  sourcedId: string
  field: string
  workspace: string
  external: string
  baseline: string
  workspaceGone: boolean // the record was deleted on that side
  externalGone: boolean
  resolution: '' | 'workspace' | 'external' // '' while waiting; else chosen, applied at the next run
}

// IntegrationResult is what a run of an integration answers: its recorded run (skipped when another
// run of it was going), or its plan when only planned.
export interface IntegrationResult {
  integration: string
  run: Run
  plan: unknown
}
