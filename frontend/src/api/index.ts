// Typed wrappers over the Wails bindings. Components and stores import from here, never from wailsjs.
import * as Connections from '../../wailsjs/go/api/ConnectionsAPI'
import * as Sync from '../../wailsjs/go/api/SyncAPI'
import * as Roster from '../../wailsjs/go/api/RosterAPI'
import * as History from '../../wailsjs/go/api/HistoryAPI'
import * as Settings from '../../wailsjs/go/api/SettingsAPI'
import * as Selections from '../../wailsjs/go/api/SelectionAPI'
import * as Duplicates from '../../wailsjs/go/api/DuplicatesAPI'
import * as Mappings from '../../wailsjs/go/api/MappingAPI'
import * as Integrations from '../../wailsjs/go/api/IntegrationsAPI'
import * as Verify from '../../wailsjs/go/api/VerifyAPI'
import * as Operators from '../../wailsjs/go/api/OperatorsAPI'
import * as WorkspaceFile from '../../wailsjs/go/api/WorkspaceAPI'
import type { api as facades, engine } from '../../wailsjs/go/models'
import type { store } from '../../wailsjs/go/models'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { call } from './call'
import type {
  BrowsePage, Browsable, ConflictPage, ConflictQuery, ConnectionCard, Direction, DomainsConfig, DuplicatePair, ExportMode, FetchResult, Job, Kind, LogFormat,
  MergeDecision, MergeView, NewConnection, PairPage, PairQuery, Progress, RecordView, RemovalImpact, RosterCounts, Run, RunQuery, RunRecord, Selection,
  SelectionView, SheetKind, SheetResult, ListQuery, PickPage, ChooseQuery, Chosen, Source, SpreadsheetPreview, TestResult, Theme,
} from './types'
import type { BrowseQuery, FilteredIDs, OrgsAdded, RosterFilterChoices } from './types'
import type { Mapping, MappingExample, MappingField, MappingPreview, MappingProblem, MappingTarget, MappingView, TestSend } from './types'
import type { RosterSummary, WorkspaceInfo } from './types'
import type { HistoryCounts, RecordChoices, RecordPage, RecordQuery } from './types'
import type { UndoPreview } from './types'
import type { Integration, IntegrationInput, IntegrationSetup, OSSchedule, ScheduleCheck, SyncConflict } from './types'

// The generated bindings return Wails' model classes; the values are plain JSON of the same shape.
const as = <T>(p: Promise<unknown>) => call(p as Promise<T>)

export const api = {
  kinds: () => as<Kind[]>(Connections.Kinds()),
  connections: () => as<ConnectionCard[]>(Connections.List()),
  addConnection: (req: NewConnection) => as<ConnectionCard>(Connections.Add(req as never)),
  updateConnection: (id: number, req: NewConnection) => as<ConnectionCard>(Connections.Update(id, req as never)),
  secretsWhere: () => as<string>(Connections.SecretsWhere()),
  storedSecrets: (id: number) => as<string[] | null>(Connections.StoredSecrets(id)),
  previewSpreadsheet: (path: string, sheet: string, headerRow: number, entity: string) =>
    as<SpreadsheetPreview>(Connections.PreviewSpreadsheet(path, sheet, headerRow, entity)),
  removeConnection: (id: number) => as<void>(Connections.Remove(id)),
  // sources lists the source connections in precedence order.
  sources: () => as<Source[]>(Connections.Sources()),
  chooseFile: (title: string) => as<string>(Connections.ChooseFile(title)),
  chooseFolder: (title: string) => as<string>(Connections.ChooseFolder(title)),

  startFetch: (id: number) => as<string>(Sync.StartFetch(id)),
  startFetchChanges: (id: number) => as<string>(Sync.StartFetchChanges(id)),
  // overrideHold applies a run the safety hold would stop, once the registrar has reviewed its plan.
  startImport: (id: number, overrideHold = false) => as<string>(Sync.StartImport(id, overrideHold)),
  startPlanImport: (id: number) => as<string>(Sync.StartPlanImport(id)),
  // mode '' is the connection's own setting.
  startExport: (id: number, mode: ExportMode | '', overrideHold = false) => as<string>(Sync.StartExport(id, mode, overrideHold)),
  startPlanExport: (id: number, mode: ExportMode | '') => as<string>(Sync.StartPlanExport(id, mode)),
  cancel: (jobId: string) => as<boolean>(Sync.Cancel(jobId)),
  job: <T>(jobId: string) => as<Job<T>>(Sync.Job(jobId)),
  lastFetch: (id: number) => as<FetchResult>(Sync.LastFetch(id)),
  testConnection: (id: number, trustKey = '') => as<TestResult>(Sync.Test(id, trustKey)),
  // setPrecedence puts the given sources first in the order and applies it to the roster in a recorded run.
  setPrecedence: (ids: number[]) => as<Run>(Sync.SetPrecedence(ids)),
  removalImpact: (id: number) => as<RemovalImpact>(Sync.RemovalImpact(id)),
  // startRemoveSource removes a source in a background job (its result: the recorded run); the records only it
  // supplied stay (keepRecords) or are marked tobedeleted. Cancelled, nothing changes.
  startRemoveSource: (id: number, keepRecords: boolean) => as<string>(Sync.StartRemoveConnection(id, keepRecords)),

  rosterCounts: () => as<RosterCounts>(Roster.Counts()),
  // rosterSummary is the dashboard's: counts, the last import from a source, conflicts and duplicates waiting.
  rosterSummary: () => as<RosterSummary>(Roster.Summary()),
  // record takes a roster ID or any source's sourcedId.
  record: (entity: string, id: string) => as<RecordView>(Roster.Record(entity, id)),
  conflicts: (q: ConflictQuery) => as<ConflictPage>(Roster.Conflicts(q as never)),
  // saveConflicts writes every conflict the query matches (all pages) as XLSX in Downloads and returns the path.
  saveConflicts: (q: ConflictQuery) => as<string>(Roster.SaveConflicts(q as never)),

  // ---- Roster browser: filters and bulk actions ----
  // browse returns a window of rows; its total is -1 unless the window tells it (then rosterCount says).
  browse: (q: BrowseQuery, offset: number, limit: number) => as<BrowsePage>(Roster.Browse({ ...q, offset, limit } as never)),
  rosterCount: (q: BrowseQuery) => as<number>(Roster.Count({ ...q, offset: 0, limit: 0 } as never)),
  // browseIds returns the IDs of everything the search and filters match, for "select all filtered".
  browseIds: (q: BrowseQuery) => as<FilteredIDs>(Roster.BrowseIDs({ ...q, offset: 0, limit: 0 } as never)),
  // saveView writes every row the view shows (all pages, its columns and order) to Downloads; returns the path.
  saveView: (q: BrowseQuery, format: 'xlsx' | 'csv') => as<string>(Roster.SaveView({ ...q, offset: 0, limit: 0 } as never, format)),
  filterChoices: (entity: Browsable) => as<RosterFilterChoices>(Roster.FilterChoices(entity)),
  // startSendRecords sends just these records, with what they depend on, to a target in a background job; its result is the run.
  startSendRecords: (id: number, entity: string, ids: string[]) => as<string>(Sync.StartSendRecords(id, entity, ids)),
  // addOrgsToSelection adds schools to a target's selection ("Set sync connection"); dryRun only says what would change.
  addOrgsToSelection: (id: number, orgIds: string[], dryRun: boolean) => as<OrgsAdded>(Selections.AddOrgs(id, orgIds, dryRun)),
  // ---- end of Roster browser ----

  findRuns: (q: RunQuery) => as<Run[]>(History.Find(q as never)),
  run: (id: number) => as<{ run: Run; records: RunRecord[]; more: number }>(History.Run(id)),
  // downloadLog saves a run's report (its log; as PDF with the run's summary) in the Downloads folder and returns the file's path.
  downloadLog: (runId: number, format: LogFormat) => as<string>(History.DownloadLog(runId, format)),
  // runRecords is the page of a run's logged records a filter matches; recordChoices what its log can be filtered by.
  runRecords: (runId: number, q: RecordQuery) => as<RecordPage>(History.Records(runId, q as never)),
  recordChoices: (runId: number) => as<RecordChoices>(History.RecordChoices(runId)),
  // clearPreview says what clearHistory would delete and keep; clearHistory returns the run that records it.
  clearPreview: () => as<HistoryCounts>(History.ClearPreview()),
  clearHistory: () => as<Run>(History.Clear()),
  // undoPreview says what undoing an import run would do (or why it cannot); startUndo undoes it as a job whose result is the undo's run.
  undoPreview: (runId: number) => as<UndoPreview>(History.UndoPreview(runId)),
  startUndo: (runId: number) => as<string>(History.StartUndo(runId)),

  // The selection calls take an integration's id; ownSelectionView opens a connection's own integration of a direction.
  selectionView: (id: number) => as<SelectionView>(Selections.View(id)),
  ownSelectionView: (connectionId: number, direction: Direction) => as<SelectionView>(Selections.OwnView(connectionId, direction)),
  // integrationSetup is an integration's safety hold and what it maps, for its dialog (no lists: quick).
  integrationSetup: (id: number) => as<IntegrationSetup>(Selections.Setup(id)),
  previewSelection: (id: number, sel: Selection) => as<SelectionView>(Selections.Preview(id, sel as never)),
  saveSelection: (id: number, sel: Selection) => as<SelectionView>(Selections.Save(id, sel as never)),
  resetSelection: (id: number) => as<SelectionView>(Selections.Reset(id)),
  // pickPage and choose work on the selection being edited and save nothing.
  pickPage: (id: number, sel: Selection, q: ListQuery) => as<PickPage>(Selections.Page(id, sel as never, q as never)),
  choose: (id: number, sel: Selection, q: ChooseQuery) => as<Chosen>(Selections.Choose(id, sel as never, q as never)),
  // The spreadsheet calls work on the selection being edited (sel) and save nothing: downloadSheet
  // pre-fills the file with it, readSheet says what an uploaded file (its bytes in base64) would change in it.
  downloadSheet: (id: number, what: SheetKind, sel: Selection) => as<string>(Selections.DownloadSheet(id, what, sel as never)),
  readSheet: (id: number, what: SheetKind, sel: Selection, fileName: string, base64: string) =>
    as<SheetResult>(Selections.ReadSheet(id, what, sel as never, fileName, base64)),
  showFile: (path: string) => as<void>(Selections.ShowFile(path)),

  duplicatePairs: (q: PairQuery) => as<PairPage>(Duplicates.Pairs(q as never)),
  duplicatePair: (id: number) => as<DuplicatePair>(Duplicates.Pair(id)),
  // startDuplicateScan looks for duplicate people in a background job; its result is a DuplicateScan.
  startDuplicateScan: () => as<string>(Duplicates.StartScan()),
  duplicateDomains: () => as<DomainsConfig>(Duplicates.Domains()),
  defaultDuplicateDomains: () => as<DomainsConfig>(Duplicates.DefaultDomains()),
  // setDuplicateDomains saves domains written as JSON and returns them as saved; a mistake is refused saying what to fix.
  setDuplicateDomains: (json: string) => as<DomainsConfig>(Duplicates.SetDomains(json)),
  scanAfterImport: () => as<boolean>(Duplicates.ScanAfterImport()),
  setScanAfterImport: (on: boolean) => as<void>(Duplicates.SetScanAfterImport(on)),
  // mergeView puts a pair's records side by side; records orders them (the primary first) and may add more to the group.
  mergeView: (pair: number, records: string[] | null) => as<MergeView>(Duplicates.MergeView(pair, records as string[])),
  resolveDuplicate: (pair: number, d: MergeDecision) => as<Run>(Duplicates.Resolve(pair, d as never)),
  undoDuplicate: (pair: number) => as<Run>(Duplicates.Undo(pair)),

  // ---- Mapping (SPEC §6) ----
  mappingTargets: () => as<MappingTarget[]>(Mappings.Targets()),
  // The mapping calls take an integration's id.
  mapping: (integrationId: number, entity: string) => as<MappingView>(Mappings.Get(integrationId, entity)),
  // checkMapping says what is wrong with a mapping as edited (nothing saved).
  checkMapping: (m: Mapping) => as<MappingProblem[] | null>(Mappings.Check(m as never)),
  // saveMapping is refused (code invalid) while checkMapping finds problems.
  saveMapping: (integrationId: number, m: Mapping) => as<void>(Mappings.Save(integrationId, m as never)),
  resetMapping: (integrationId: number, entity: string) => as<MappingView>(Mappings.Reset(integrationId, entity)),
  mappingExamples: (entity: string, search: string) => as<MappingExample[] | null>(Mappings.Examples(entity, search)),
  // previewMapping maps one record with the mapping as edited, and gives the exact request it would make.
  previewMapping: (integrationId: number, m: Mapping, recordId: string) => as<MappingPreview>(Mappings.Preview(integrationId, m as never, recordId)),
  // saveCodes writes a field's code table in Downloads and returns the path; loadCodes reads one back.
  saveCodes: (field: MappingField, format: 'xlsx' | 'csv') => as<string>(Mappings.SaveCodes(field as never, format)),
  loadCodes: (path: string) => as<Record<string, string> | null>(Mappings.LoadCodes(path)),
  // sendTestRecord sends one record with the saved mapping; it then belongs to the target's baseline.
  sendTestRecord: (integrationId: number, entity: string, recordId: string) => as<TestSend>(Mappings.SendTestRecord(integrationId, entity, recordId)),
  // ---- end of Mapping ----

  // ---- Integrations (issue 15) ----
  integrations: () => as<Integration[] | null>(Integrations.List()),
  // saveIntegration adds (id 0) or edits an integration; a wrong field is refused saying what to fix.
  saveIntegration: (i: IntegrationInput) => as<Integration>(Integrations.Save(i as never)),
  removeIntegration: (id: number) => as<void>(Integrations.Remove(id)),
  setIntegrationEnabled: (id: number, on: boolean) => as<Integration>(Integrations.SetEnabled(id, on)),
  // checkSchedule says what a schedule's text means and its next three runs, or what is wrong with it.
  checkSchedule: (text: string) => as<ScheduleCheck>(Integrations.CheckSchedule(text)),
  // startIntegrationRun runs an integration now in a background job (its result: the run, or the plan);
  // initial is a first sync's starting truth ('' : not chosen).
  startIntegrationRun: (id: number, planOnly: boolean, initial: string, overrideHold = false) => as<string>(Integrations.StartRun(id, planOnly, initial, overrideHold)),
  osSchedule: () => as<OSSchedule>(Integrations.OSSchedule()),
  installOSSchedule: () => as<OSSchedule>(Integrations.InstallOSSchedule()),
  removeOSSchedule: () => as<OSSchedule>(Integrations.RemoveOSSchedule()),
  syncConflicts: (id: number) => as<SyncConflict[] | null>(Integrations.Conflicts(id)),
  resolveSyncConflict: (id: number, key: string, take: 'workspace' | 'external') => as<void>(Integrations.ResolveConflict(id, key, take)),
  // onIntegrationsChanged hears the scheduler start or end a run; it returns the unsubscribe function.
  onIntegrationsChanged: (changed: () => void): (() => void) => EventsOn('integrations:changed', changed),
  // ---- end of Integrations ----

  // ---- the verification summary and re-sync by IDs (VerifyAPI) ----
  // startVerify compares the roster with a connection (or an integration's: integrationId not 0); the job's result is a VerifyResult.
  startVerify: (connectionId: number, integrationId: number, entity: string) => as<string>(Verify.StartVerify(connectionId, integrationId, entity)),
  lastVerification: () => as<VerifyResult>(Verify.Last()),
  // saveVerification writes every difference of the last verification that the filter keeps to Downloads; returns the path.
  saveVerification: (filter: VerifyFilter, format: 'xlsx' | 'csv') => as<string>(Verify.SaveVerification(filter as never, format)),
  // startResync sends a target the records whose IDs the text lists; the job's result is a Resynced.
  startResync: (connectionId: number, object: string, ids: string, withDependencies: boolean) =>
    as<string>(Verify.StartResync(connectionId, object, ids, withDependencies)),
  countIDs: (ids: string) => as<number>(Verify.CountIDs(ids)),
  // ---- end of VerifyAPI ----

  workspace: () => as<WorkspaceInfo>(Settings.Workspace()),
  loadDemo: (students: number) => as<string>(Settings.LoadDemo(students)),
  openLogsFolder: () => as<void>(Settings.OpenLogsFolder()),
  theme: () => as<Theme>(Settings.Theme()),
  setTheme: (t: Theme) => as<void>(Settings.SetTheme(t)),
  // The window's close (its button, Alt+F4, Cmd+Q) asks instead of closing while the window says it
  // holds work not saved (setUnsaved); quit closes it once the registrar has answered.
  setUnsaved: (unsaved: boolean) => as<void>(Settings.SetUnsaved(unsaved)),
  // closeHeard tells the backend the question reached a responsive page (else a second close quits).
  closeHeard: () => as<void>(Settings.CloseHeard()),
  quit: () => as<void>(Settings.Quit()),
  onCloseAsked: (ask: () => void): (() => void) => EventsOn('window:close-asked', ask),
  // Settings → Workspace: check the workspace file (a job whose result is a WorkspaceCheck) and back it up
  // to a file the save dialog chose (a job whose result is a BackupFile).
  startWorkspaceCheck: () => as<string>(WorkspaceFile.StartCheck()),
  chooseBackupFile: (title: string) => as<string>(WorkspaceFile.ChooseBackupFile(title)),
  startWorkspaceBackup: (file: string) => as<string>(WorkspaceFile.StartBackup(file)),

  // Operators: me is this window's operator, their role and rights; the services check the rights.
  me: () => as<Me>(Operators.Me()),
  operators: () => as<Operator[]>(Operators.List()),
  addOperator: (name: string, role: string) => as<Operator>(Operators.Add(name, role)),
  setOperatorRole: (name: string, role: string) => as<void>(Operators.SetRole(name, role)),
  removeOperator: (name: string) => as<void>(Operators.Remove(name)),

  // onJob listens to a job's progress and completion events; it returns the unsubscribe function.
  onJob: <T>(jobId: string, onProgress: (p: Progress) => void, onDone: (j: Job<T>) => void): (() => void) => {
    const offs = [EventsOn(`job:progress:${jobId}`, onProgress), EventsOn(`job:done:${jobId}`, onDone)]
    return () => offs.forEach((off) => off())
  },
}

export type VerifyResult = facades.VerifyResult
export type VerifyFilter = facades.VerifyFilter
export type Difference = engine.Difference
export type VerifyCounts = engine.VerifyCounts
// A workspace check's result (store.CheckResult) and a backup's (workspace.Backup): job results,
// which the bindings do not describe.
export interface WorkspaceCheck { workspace: string; ok: boolean; problems: { check: string; message: string }[] }
export interface BackupFile { file: string; bytes: number }
// Resynced is a re-sync by IDs' run and the IDs that matched no live record of the roster.
export interface Resynced { run: Run; notFound: string[] }

export type Me = facades.Me
export type Operator = store.Operator

export type Api = typeof api
export { AppError } from './call'
export * from './types'
