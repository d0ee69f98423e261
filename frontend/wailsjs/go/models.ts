export namespace api {
	
	export class BrowsePage {
	    columns: string[];
	    total: number;
	    rows: string[][];
	
	    static createFrom(source: any = {}) {
	        return new BrowsePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.columns = source["columns"];
	        this.total = source["total"];
	        this.rows = source["rows"];
	    }
	}
	export class BrowseRequest {
	    entity: string;
	    search: string;
	    filter: store.RosterFilter;
	    match: Record<string, string>;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new BrowseRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.search = source["search"];
	        this.filter = this.convertValues(source["filter"], store.RosterFilter);
	        this.match = source["match"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConflictsRequest {
	    entity: string;
	    field: string;
	    search: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ConflictsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.field = source["field"];
	        this.search = source["search"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class ConnectionCard {
	    id: number;
	    name: string;
	    kind: string;
	    kindLabel: string;
	    role: string;
	    settings: Record<string, string>;
	    createdAt: string;
	    lastFetch: string;
	    lastRun?: store.Run;
	    lastTest: store.TestOutcome;
	    canFetchChanges: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionCard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.kindLabel = source["kindLabel"];
	        this.role = source["role"];
	        this.settings = source["settings"];
	        this.createdAt = source["createdAt"];
	        this.lastFetch = source["lastFetch"];
	        this.lastRun = this.convertValues(source["lastRun"], store.Run);
	        this.lastTest = this.convertValues(source["lastTest"], store.TestOutcome);
	        this.canFetchChanges = source["canFetchChanges"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Example {
	    id: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Example(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	    }
	}
	export class FilteredIDs {
	    ids: string[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new FilteredIDs(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ids = source["ids"];
	        this.total = source["total"];
	    }
	}
	export class Integration {
	    id: number;
	    name: string;
	    type: string;
	    connectionId: number;
	    connection: string;
	    connectionKind: string;
	    entities: string[];
	    schedule: string;
	    scheduleText: string;
	    conflict: string;
	    enabled: boolean;
	    lastRunId: number;
	    lastResult: string;
	    lastRunAt: string;
	    nextRun: string;
	    running: boolean;
	    jobId: string;
	    jobScheduled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Integration(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.connectionId = source["connectionId"];
	        this.connection = source["connection"];
	        this.connectionKind = source["connectionKind"];
	        this.entities = source["entities"];
	        this.schedule = source["schedule"];
	        this.scheduleText = source["scheduleText"];
	        this.conflict = source["conflict"];
	        this.enabled = source["enabled"];
	        this.lastRunId = source["lastRunId"];
	        this.lastResult = source["lastResult"];
	        this.lastRunAt = source["lastRunAt"];
	        this.nextRun = source["nextRun"];
	        this.running = source["running"];
	        this.jobId = source["jobId"];
	        this.jobScheduled = source["jobScheduled"];
	    }
	}
	export class IntegrationInput {
	    id: number;
	    name: string;
	    type: string;
	    connectionId: number;
	    entities: string[];
	    schedule: string;
	    conflict: string;
	    holdDelete?: number;
	    holdChange?: number;
	
	    static createFrom(source: any = {}) {
	        return new IntegrationInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.connectionId = source["connectionId"];
	        this.entities = source["entities"];
	        this.schedule = source["schedule"];
	        this.conflict = source["conflict"];
	        this.holdDelete = source["holdDelete"];
	        this.holdChange = source["holdChange"];
	    }
	}
	export class IntegrationSetup {
	    holdDelete: number;
	    holdChange: number;
	    everything: boolean;
	    mapped: string[];
	
	    static createFrom(source: any = {}) {
	        return new IntegrationSetup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.holdDelete = source["holdDelete"];
	        this.holdChange = source["holdChange"];
	        this.everything = source["everything"];
	        this.mapped = source["mapped"];
	    }
	}
	export class MappingView {
	    integrationId: number;
	    entity: string;
	    mapping: mapping.Mapping;
	    saved: boolean;
	    readable: string[];
	    writable: string[];
	    helpers: mapping.Helper[];
	
	    static createFrom(source: any = {}) {
	        return new MappingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.integrationId = source["integrationId"];
	        this.entity = source["entity"];
	        this.mapping = this.convertValues(source["mapping"], mapping.Mapping);
	        this.saved = source["saved"];
	        this.readable = source["readable"];
	        this.writable = source["writable"];
	        this.helpers = this.convertValues(source["helpers"], mapping.Helper);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Me {
	    name: string;
	    role: string;
	    listed: boolean;
	    rights: Record<string, Array<string>>;
	
	    static createFrom(source: any = {}) {
	        return new Me(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	        this.listed = source["listed"];
	        this.rights = source["rights"];
	    }
	}
	export class OSSchedule {
	    registered: boolean;
	    kind: string;
	    where: string;
	    command: string;
	    text: string;
	    unknown?: string;
	
	    static createFrom(source: any = {}) {
	        return new OSSchedule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.registered = source["registered"];
	        this.kind = source["kind"];
	        this.where = source["where"];
	        this.command = source["command"];
	        this.text = source["text"];
	        this.unknown = source["unknown"];
	    }
	}
	export class PairsRequest {
	    status: string;
	    domain: string;
	    school: string;
	    search: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new PairsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.domain = source["domain"];
	        this.school = source["school"];
	        this.search = source["search"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class RosterSummary {
	    counts: Record<string, number>;
	    lastImport?: store.Run;
	    conflicts: number;
	    duplicates: number;
	
	    static createFrom(source: any = {}) {
	        return new RosterSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.counts = source["counts"];
	        this.lastImport = this.convertValues(source["lastImport"], store.Run);
	        this.conflicts = source["conflicts"];
	        this.duplicates = source["duplicates"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunDetail {
	    run: store.Run;
	    records: store.RunRecord[];
	    more: number;
	
	    static createFrom(source: any = {}) {
	        return new RunDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = this.convertValues(source["run"], store.Run);
	        this.records = this.convertValues(source["records"], store.RunRecord);
	        this.more = source["more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScheduleCheck {
	    text: string;
	    describe: string;
	    next: string[];
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new ScheduleCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.describe = source["describe"];
	        this.next = source["next"];
	        this.error = source["error"];
	    }
	}
	export class SetupOf {
	    id: number;
	    name: string;
	    connectionId: number;
	    connectionName: string;
	
	    static createFrom(source: any = {}) {
	        return new SetupOf(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.connectionId = source["connectionId"];
	        this.connectionName = source["connectionName"];
	    }
	}
	export class SelectionView {
	    integration: SetupOf;
	    selection: selection.Selection;
	    from: string;
	    users: selection.StatusCount[];
	    totals: Record<string, number>;
	    guardians: number;
	
	    static createFrom(source: any = {}) {
	        return new SelectionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.integration = this.convertValues(source["integration"], SetupOf);
	        this.selection = this.convertValues(source["selection"], selection.Selection);
	        this.from = source["from"];
	        this.users = this.convertValues(source["users"], selection.StatusCount);
	        this.totals = source["totals"];
	        this.guardians = source["guardians"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SourceRank {
	    id: number;
	    name: string;
	    kind: string;
	    kindLabel: string;
	    precedence: number;
	    ids: string;
	
	    static createFrom(source: any = {}) {
	        return new SourceRank(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.kindLabel = source["kindLabel"];
	        this.precedence = source["precedence"];
	        this.ids = source["ids"];
	    }
	}
	export class SpreadsheetPreview {
	    sheets: string[];
	    sheet: string;
	    headers: string[];
	    rows: string[][];
	    note: string;
	    fields: string[];
	    suggested: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new SpreadsheetPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sheets = source["sheets"];
	        this.sheet = source["sheet"];
	        this.headers = source["headers"];
	        this.rows = source["rows"];
	        this.note = source["note"];
	        this.fields = source["fields"];
	        this.suggested = source["suggested"];
	    }
	}
	export class VerifyFilter {
	    entity: string;
	    kind: string;
	    search: string;
	
	    static createFrom(source: any = {}) {
	        return new VerifyFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.kind = source["kind"];
	        this.search = source["search"];
	    }
	}
	export class VerifyResult {
	    verification: engine.Verification;
	    rows: engine.Difference[];
	    shown: number;
	
	    static createFrom(source: any = {}) {
	        return new VerifyResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.verification = this.convertValues(source["verification"], engine.Verification);
	        this.rows = this.convertValues(source["rows"], engine.Difference);
	        this.shown = source["shown"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WorkspaceInfo {
	    path: string;
	    connections: number;
	    logs: string;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.connections = source["connections"];
	        this.logs = source["logs"];
	    }
	}

}

export namespace apperr {
	
	export class Error {
	    code: string;
	    message: string;
	    details?: any;
	
	    static createFrom(source: any = {}) {
	        return new Error(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.details = source["details"];
	    }
	}

}

export namespace connections {
	
	export class Request {
	    name: string;
	    kind: string;
	    role: string;
	    settings: Record<string, string>;
	    secrets: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.role = source["role"];
	        this.settings = source["settings"];
	        this.secrets = source["secrets"];
	    }
	}

}

export namespace connector {
	
	export class HostKey {
	    host: string;
	    fingerprint: string;
	    key: string;
	    setting: string;
	
	    static createFrom(source: any = {}) {
	        return new HostKey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.fingerprint = source["fingerprint"];
	        this.key = source["key"];
	        this.setting = source["setting"];
	    }
	}
	export class Option {
	    key: string;
	    label: string;
	    help: string;
	    type: string;
	    required: boolean;
	    default: string;
	    choices: string[];
	    multiline: boolean;
	    roles: string[];
	
	    static createFrom(source: any = {}) {
	        return new Option(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	        this.help = source["help"];
	        this.type = source["type"];
	        this.required = source["required"];
	        this.default = source["default"];
	        this.choices = source["choices"];
	        this.multiline = source["multiline"];
	        this.roles = source["roles"];
	    }
	}
	export class Kind {
	    kind: string;
	    label: string;
	    roles: string[];
	    options: Option[];
	    delta: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Kind(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.label = source["label"];
	        this.roles = source["roles"];
	        this.options = this.convertValues(source["options"], Option);
	        this.delta = source["delta"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace dedupe {
	
	export class Rule {
	    field: string;
	    compare: string;
	    threshold?: number;
	
	    static createFrom(source: any = {}) {
	        return new Rule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.compare = source["compare"];
	        this.threshold = source["threshold"];
	    }
	}
	export class Domain {
	    name: string;
	    mode: string;
	    rules: Rule[];
	    minScore?: number;
	
	    static createFrom(source: any = {}) {
	        return new Domain(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.mode = source["mode"];
	        this.rules = this.convertValues(source["rules"], Rule);
	        this.minScore = source["minScore"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Config {
	    domains: Domain[];
	
	    static createFrom(source: any = {}) {
	        return new Config(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domains = this.convertValues(source["domains"], Domain);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Evidence {
	    field: string;
	    left: string;
	    right: string;
	    similarity: number;
	    level: string;
	    note?: string;
	    weight: number;
	
	    static createFrom(source: any = {}) {
	        return new Evidence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.left = source["left"];
	        this.right = source["right"];
	        this.similarity = source["similarity"];
	        this.level = source["level"];
	        this.note = source["note"];
	        this.weight = source["weight"];
	    }
	}

}

export namespace engine {
	
	export class Decision {
	    primary: string;
	    secondaries: string[];
	    outcome: string;
	    values: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Decision(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.primary = source["primary"];
	        this.secondaries = source["secondaries"];
	        this.outcome = source["outcome"];
	        this.values = source["values"];
	    }
	}
	export class FieldDifference {
	    field: string;
	    roster: string;
	    connection: string;
	
	    static createFrom(source: any = {}) {
	        return new FieldDifference(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.roster = source["roster"];
	        this.connection = source["connection"];
	    }
	}
	export class Difference {
	    entity: string;
	    sourcedId: string;
	    rosterId: string;
	    kind: string;
	    fields: FieldDifference[];
	
	    static createFrom(source: any = {}) {
	        return new Difference(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.sourcedId = source["sourcedId"];
	        this.rosterId = source["rosterId"];
	        this.kind = source["kind"];
	        this.fields = this.convertValues(source["fields"], FieldDifference);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FetchResult {
	    connection: string;
	    version: string;
	    source: string;
	    fetchedAt: string;
	    modes: Record<string, string>;
	    counts: Record<string, number>;
	    failed: Record<string, number>;
	    warnings: oneroster.Finding[];
	    errors: oneroster.Finding[];
	
	    static createFrom(source: any = {}) {
	        return new FetchResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connection = source["connection"];
	        this.version = source["version"];
	        this.source = source["source"];
	        this.fetchedAt = source["fetchedAt"];
	        this.modes = source["modes"];
	        this.counts = source["counts"];
	        this.failed = source["failed"];
	        this.warnings = this.convertValues(source["warnings"], oneroster.Finding);
	        this.errors = this.convertValues(source["errors"], oneroster.Finding);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class MappingTarget {
	    id: number;
	    name: string;
	    connectionId: number;
	    connectionName: string;
	    own: boolean;
	    direction: string;
	    entities: string[];
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new MappingTarget(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.connectionId = source["connectionId"];
	        this.connectionName = source["connectionName"];
	        this.own = source["own"];
	        this.direction = source["direction"];
	        this.entities = source["entities"];
	        this.problem = source["problem"];
	    }
	}
	export class MergeField {
	    name: string;
	    values: string[];
	    differ: boolean;
	    default: number;
	
	    static createFrom(source: any = {}) {
	        return new MergeField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.values = source["values"];
	        this.differ = source["differ"];
	        this.default = source["default"];
	    }
	}
	export class MergeView {
	    pair: store.DuplicatePair;
	    records: string[];
	    names: string[];
	    sources: string[][];
	    fields: MergeField[];
	    moves: store.MergeMove[];
	
	    static createFrom(source: any = {}) {
	        return new MergeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pair = this.convertValues(source["pair"], store.DuplicatePair);
	        this.records = source["records"];
	        this.names = source["names"];
	        this.sources = source["sources"];
	        this.fields = this.convertValues(source["fields"], MergeField);
	        this.moves = this.convertValues(source["moves"], store.MergeMove);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Preview {
	    recordId: string;
	    values: mapping.Value[];
	    failed: boolean;
	    error: string;
	    action: string;
	    method: string;
	    url: string;
	    payload: string;
	    problems: mapping.Problem[];
	
	    static createFrom(source: any = {}) {
	        return new Preview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.recordId = source["recordId"];
	        this.values = this.convertValues(source["values"], mapping.Value);
	        this.failed = source["failed"];
	        this.error = source["error"];
	        this.action = source["action"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.payload = source["payload"];
	        this.problems = this.convertValues(source["problems"], mapping.Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestResult {
	    at: string;
	    ok: boolean;
	    message: string;
	    hostKey?: connector.HostKey;
	
	    static createFrom(source: any = {}) {
	        return new TestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.ok = source["ok"];
	        this.message = source["message"];
	        this.hostKey = this.convertValues(source["hostKey"], connector.HostKey);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestSend {
	    run: number;
	    method: string;
	    url: string;
	    payload: string;
	    status: number;
	    body: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new TestSend(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = source["run"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.payload = source["payload"];
	        this.status = source["status"];
	        this.body = source["body"];
	        this.error = source["error"];
	    }
	}
	export class UndoPreview {
	    run: number;
	    counts: Record<string, store.UndoCounts>;
	    refused: string;
	
	    static createFrom(source: any = {}) {
	        return new UndoPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = source["run"];
	        this.counts = this.convertValues(source["counts"], store.UndoCounts, true);
	        this.refused = source["refused"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VerifyCounts {
	    same: number;
	    missingInRoster: number;
	    missingInConnection: number;
	    differs: number;
	
	    static createFrom(source: any = {}) {
	        return new VerifyCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.same = source["same"];
	        this.missingInRoster = source["missingInRoster"];
	        this.missingInConnection = source["missingInConnection"];
	        this.differs = source["differs"];
	    }
	}
	export class Verification {
	    connectionId: number;
	    connection: string;
	    against: string;
	    basis: string;
	    fetchedAt: string;
	    stale: boolean;
	    counts: Record<string, VerifyCounts>;
	    differences: number;
	
	    static createFrom(source: any = {}) {
	        return new Verification(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.connection = source["connection"];
	        this.against = source["against"];
	        this.basis = source["basis"];
	        this.fetchedAt = source["fetchedAt"];
	        this.stale = source["stale"];
	        this.counts = this.convertValues(source["counts"], VerifyCounts, true);
	        this.differences = source["differences"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace events {
	
	export class Progress {
	    stage: string;
	    done: number;
	    total: number;
	    unit: string;
	    rate: number;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.stage = source["stage"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.unit = source["unit"];
	        this.rate = source["rate"];
	    }
	}

}

export namespace jobs {
	
	export class Job {
	    id: string;
	    kind: string;
	    status: string;
	    progress: events.Progress;
	    result?: any;
	    error?: apperr.Error;
	
	    static createFrom(source: any = {}) {
	        return new Job(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.status = source["status"];
	        this.progress = this.convertValues(source["progress"], events.Progress);
	        this.result = source["result"];
	        this.error = this.convertValues(source["error"], apperr.Error);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace mapping {
	
	export class Code {
	    from: string;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new Code(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class Field {
	    to: string;
	    type: string;
	    from?: string;
	    expr?: string;
	    codes?: Code[];
	    unmatched?: string;
	    default?: string;
	    key?: boolean;
	    overwrite?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	        this.type = source["type"];
	        this.from = source["from"];
	        this.expr = source["expr"];
	        this.codes = this.convertValues(source["codes"], Code);
	        this.unmatched = source["unmatched"];
	        this.default = source["default"];
	        this.key = source["key"];
	        this.overwrite = source["overwrite"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Helper {
	    name: string;
	    signature: string;
	    help: string;
	    example: string;
	
	    static createFrom(source: any = {}) {
	        return new Helper(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.signature = source["signature"];
	        this.help = source["help"];
	        this.example = source["example"];
	    }
	}
	export class Mapping {
	    entity: string;
	    fields: Field[];
	    only?: string;
	    import?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Mapping(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.fields = this.convertValues(source["fields"], Field);
	        this.only = source["only"];
	        this.import = source["import"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Problem {
	    field: number;
	    to: string;
	    line: number;
	    column: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.to = source["to"];
	        this.line = source["line"];
	        this.column = source["column"];
	        this.message = source["message"];
	    }
	}
	export class Value {
	    to: string;
	    value: any;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Value(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	        this.value = source["value"];
	        this.error = source["error"];
	    }
	}

}

export namespace oneroster {
	
	export class Finding {
	    file: string;
	    line: number;
	    column: string;
	    message: string;
	    severity: string;
	
	    static createFrom(source: any = {}) {
	        return new Finding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.line = source["line"];
	        this.column = source["column"];
	        this.message = source["message"];
	        this.severity = source["severity"];
	    }
	}

}

export namespace selection {
	
	export class ChooseQuery {
	    what: string;
	    search: string;
	    onlyChosen: boolean;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	    ids: string[];
	    on: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ChooseQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.what = source["what"];
	        this.search = source["search"];
	        this.onlyChosen = source["onlyChosen"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.ids = source["ids"];
	        this.on = source["on"];
	    }
	}
	export class ClassRow {
	    id: string;
	    title: string;
	    code: string;
	    type: string;
	    school: string;
	    schoolId: string;
	    enrollments: number;
	    selected: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ClassRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.code = source["code"];
	        this.type = source["type"];
	        this.school = source["school"];
	        this.schoolId = source["schoolId"];
	        this.enrollments = source["enrollments"];
	        this.selected = source["selected"];
	    }
	}
	export class OrgRow {
	    id: string;
	    name: string;
	    type: string;
	    identifier: string;
	    parent: string;
	    classes: number;
	    users: number;
	    selected: boolean;
	    covered: boolean;
	
	    static createFrom(source: any = {}) {
	        return new OrgRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.identifier = source["identifier"];
	        this.parent = source["parent"];
	        this.classes = source["classes"];
	        this.users = source["users"];
	        this.selected = source["selected"];
	        this.covered = source["covered"];
	    }
	}
	export class Page {
	    orgs: OrgRow[];
	    classes: ClassRow[];
	    matched: number;
	    listed: number;
	    chosen: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.orgs = this.convertValues(source["orgs"], OrgRow);
	        this.classes = this.convertValues(source["classes"], ClassRow);
	        this.matched = source["matched"];
	        this.listed = source["listed"];
	        this.chosen = source["chosen"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Selection {
	    saved: boolean;
	    orgsAll: boolean;
	    orgs: string[];
	    classesAll: boolean;
	    classes: string[];
	    statuses: string[];
	    withoutEnrollments: boolean;
	    guardians: boolean;
	    holdDelete: number;
	    holdChange: number;
	    held?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Selection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.saved = source["saved"];
	        this.orgsAll = source["orgsAll"];
	        this.orgs = source["orgs"];
	        this.classesAll = source["classesAll"];
	        this.classes = source["classes"];
	        this.statuses = source["statuses"];
	        this.withoutEnrollments = source["withoutEnrollments"];
	        this.guardians = source["guardians"];
	        this.holdDelete = source["holdDelete"];
	        this.holdChange = source["holdChange"];
	        this.held = source["held"];
	    }
	}
	export class Chosen {
	    selection: Selection;
	    page: Page;
	    split: string[];
	    instead: number;
	    unticked: string[];
	
	    static createFrom(source: any = {}) {
	        return new Chosen(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.selection = this.convertValues(source["selection"], Selection);
	        this.page = this.convertValues(source["page"], Page);
	        this.split = source["split"];
	        this.instead = source["instead"];
	        this.unticked = source["unticked"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ListQuery {
	    what: string;
	    search: string;
	    onlyChosen: boolean;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ListQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.what = source["what"];
	        this.search = source["search"];
	        this.onlyChosen = source["onlyChosen"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	
	export class OrgsAdded {
	    added: string[];
	    already: string[];
	    missing: string[];
	    classes: number;
	
	    static createFrom(source: any = {}) {
	        return new OrgsAdded(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.added = source["added"];
	        this.already = source["already"];
	        this.missing = source["missing"];
	        this.classes = source["classes"];
	    }
	}
	
	
	export class StatusCount {
	    status: string;
	    role: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new StatusCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.role = source["role"];
	        this.count = source["count"];
	    }
	}

}

export namespace selectsheet {
	
	export class Result {
	    upload: sheets.Upload;
	    before: number;
	    after: number;
	    added: string[];
	    removed: string[];
	    selection: selection.Selection;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.upload = this.convertValues(source["upload"], sheets.Upload);
	        this.before = source["before"];
	        this.after = source["after"];
	        this.added = source["added"];
	        this.removed = source["removed"];
	        this.selection = this.convertValues(source["selection"], selection.Selection);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace sheets {
	
	export class Finding {
	    row: number;
	    column: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Finding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.column = source["column"];
	        this.message = source["message"];
	    }
	}
	export class Upload {
	    sheet: string;
	    rows: number;
	    selected: string[];
	    findings: Finding[];
	
	    static createFrom(source: any = {}) {
	        return new Upload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sheet = source["sheet"];
	        this.rows = source["rows"];
	        this.selected = source["selected"];
	        this.findings = this.convertValues(source["findings"], Finding);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace store {
	
	export class SourceValue {
	    connection: string;
	    sourcedId: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new SourceValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connection = source["connection"];
	        this.sourcedId = source["sourcedId"];
	        this.value = source["value"];
	    }
	}
	export class ConflictRow {
	    entity: string;
	    record: string;
	    field: string;
	    values: SourceValue[];
	    kept: string;
	    keptValue: string;
	
	    static createFrom(source: any = {}) {
	        return new ConflictRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.record = source["record"];
	        this.field = source["field"];
	        this.values = this.convertValues(source["values"], SourceValue);
	        this.kept = source["kept"];
	        this.keptValue = source["keptValue"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConflictPage {
	    total: number;
	    rows: ConflictRow[];
	    fields: string[];
	
	    static createFrom(source: any = {}) {
	        return new ConflictPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.rows = this.convertValues(source["rows"], ConflictRow);
	        this.fields = source["fields"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DuplicatePair {
	    pair: number;
	    domain: string;
	    score: number;
	    left: string;
	    right: string;
	    status: string;
	    unattended: boolean;
	    evidence: dedupe.Evidence[];
	    school: string;
	    schoolName: string;
	    leftName: string;
	    rightName: string;
	    foundAt: string;
	    decidedRun: number;
	    primary: string;
	
	    static createFrom(source: any = {}) {
	        return new DuplicatePair(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pair = source["pair"];
	        this.domain = source["domain"];
	        this.score = source["score"];
	        this.left = source["left"];
	        this.right = source["right"];
	        this.status = source["status"];
	        this.unattended = source["unattended"];
	        this.evidence = this.convertValues(source["evidence"], dedupe.Evidence);
	        this.school = source["school"];
	        this.schoolName = source["schoolName"];
	        this.leftName = source["leftName"];
	        this.rightName = source["rightName"];
	        this.foundAt = source["foundAt"];
	        this.decidedRun = source["decidedRun"];
	        this.primary = source["primary"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EntityCounts {
	    created: number;
	    updated: number;
	    deleted: number;
	    unchanged: number;
	    failed: number;
	    skipped: number;
	
	    static createFrom(source: any = {}) {
	        return new EntityCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.created = source["created"];
	        this.updated = source["updated"];
	        this.deleted = source["deleted"];
	        this.unchanged = source["unchanged"];
	        this.failed = source["failed"];
	        this.skipped = source["skipped"];
	    }
	}
	export class FieldView {
	    name: string;
	    value: string;
	    from: string;
	    chosen: boolean;
	
	    static createFrom(source: any = {}) {
	        return new FieldView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
	        this.from = source["from"];
	        this.chosen = source["chosen"];
	    }
	}
	export class FilterChoice {
	    value: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new FilterChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	    }
	}
	export class HistoryCounts {
	    cleared: number;
	    kept: number;
	
	    static createFrom(source: any = {}) {
	        return new HistoryCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cleared = source["cleared"];
	        this.kept = source["kept"];
	    }
	}
	export class MergeMove {
	    entity: string;
	    sourcedId: string;
	    from: string;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new MergeMove(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.sourcedId = source["sourcedId"];
	        this.from = source["from"];
	        this.description = source["description"];
	    }
	}
	export class MergeNote {
	    pair: number;
	    primary: string;
	    secondary: string;
	    outcome: string;
	    run: number;
	
	    static createFrom(source: any = {}) {
	        return new MergeNote(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pair = source["pair"];
	        this.primary = source["primary"];
	        this.secondary = source["secondary"];
	        this.outcome = source["outcome"];
	        this.run = source["run"];
	    }
	}
	export class Named {
	    record: string;
	    connection: string;
	
	    static createFrom(source: any = {}) {
	        return new Named(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.record = source["record"];
	        this.connection = source["connection"];
	    }
	}
	export class Operator {
	    name: string;
	    role: string;
	    addedAt: string;
	    addedBy: string;
	
	    static createFrom(source: any = {}) {
	        return new Operator(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	        this.addedAt = source["addedAt"];
	        this.addedBy = source["addedBy"];
	    }
	}
	export class OriginView {
	    connectionId: number;
	    connection: string;
	    sourcedId: string;
	    live: boolean;
	    precedence: number;
	
	    static createFrom(source: any = {}) {
	        return new OriginView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.connection = source["connection"];
	        this.sourcedId = source["sourcedId"];
	        this.live = source["live"];
	        this.precedence = source["precedence"];
	    }
	}
	export class School {
	    id: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new School(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class PairPage {
	    total: number;
	    pairs: DuplicatePair[];
	    domains: string[];
	    schools: School[];
	    counts: Record<string, number>;
	
	    static createFrom(source: any = {}) {
	        return new PairPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.pairs = this.convertValues(source["pairs"], DuplicatePair);
	        this.domains = source["domains"];
	        this.schools = this.convertValues(source["schools"], School);
	        this.counts = source["counts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecordChoices {
	    entities: string[];
	    actions: string[];
	    statuses: string[];
	
	    static createFrom(source: any = {}) {
	        return new RecordChoices(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entities = source["entities"];
	        this.actions = source["actions"];
	        this.statuses = source["statuses"];
	    }
	}
	export class RunRecord {
	    entity: string;
	    sourcedId: string;
	    action: string;
	    status: string;
	    field: string;
	    message: string;
	    reason: string;
	    before: string;
	    after: string;
	
	    static createFrom(source: any = {}) {
	        return new RunRecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.sourcedId = source["sourcedId"];
	        this.action = source["action"];
	        this.status = source["status"];
	        this.field = source["field"];
	        this.message = source["message"];
	        this.reason = source["reason"];
	        this.before = source["before"];
	        this.after = source["after"];
	    }
	}
	export class RecordPage {
	    records: RunRecord[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new RecordPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.records = this.convertValues(source["records"], RunRecord);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecordQuery {
	    entity: string;
	    action: string;
	    status: string;
	    search: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new RecordQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.action = source["action"];
	        this.status = source["status"];
	        this.search = source["search"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class RunTouch {
	    run: number;
	    startedAt: string;
	    connection: string;
	    direction: string;
	    action: string;
	    status: string;
	    field: string;
	    message: string;
	    reason: string;
	    before: string;
	    after: string;
	
	    static createFrom(source: any = {}) {
	        return new RunTouch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = source["run"];
	        this.startedAt = source["startedAt"];
	        this.connection = source["connection"];
	        this.direction = source["direction"];
	        this.action = source["action"];
	        this.status = source["status"];
	        this.field = source["field"];
	        this.message = source["message"];
	        this.reason = source["reason"];
	        this.before = source["before"];
	        this.after = source["after"];
	    }
	}
	export class RecordView {
	    entity: string;
	    id: string;
	    status: string;
	    dateLastModified: string;
	    fields: FieldView[];
	    metadata: FieldView[];
	    origins: OriginView[];
	    conflicts: ConflictRow[];
	    runs: RunTouch[];
	    alsoNamed: Named[];
	    merges: MergeNote[];
	
	    static createFrom(source: any = {}) {
	        return new RecordView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = source["entity"];
	        this.id = source["id"];
	        this.status = source["status"];
	        this.dateLastModified = source["dateLastModified"];
	        this.fields = this.convertValues(source["fields"], FieldView);
	        this.metadata = this.convertValues(source["metadata"], FieldView);
	        this.origins = this.convertValues(source["origins"], OriginView);
	        this.conflicts = this.convertValues(source["conflicts"], ConflictRow);
	        this.runs = this.convertValues(source["runs"], RunTouch);
	        this.alsoNamed = this.convertValues(source["alsoNamed"], Named);
	        this.merges = this.convertValues(source["merges"], MergeNote);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RosterCounts {
	    active: Record<string, number>;
	    deleted: Record<string, number>;
	
	    static createFrom(source: any = {}) {
	        return new RosterCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.deleted = source["deleted"];
	    }
	}
	export class RosterFilter {
	    school: string;
	    grade: string;
	    status: string;
	    role: string;
	    type: string;
	
	    static createFrom(source: any = {}) {
	        return new RosterFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.school = source["school"];
	        this.grade = source["grade"];
	        this.status = source["status"];
	        this.role = source["role"];
	        this.type = source["type"];
	    }
	}
	export class RosterFilterChoices {
	    schools: FilterChoice[];
	    grades: string[];
	    roles: string[];
	    orgTypes: string[];
	
	    static createFrom(source: any = {}) {
	        return new RosterFilterChoices(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schools = this.convertValues(source["schools"], FilterChoice);
	        this.grades = source["grades"];
	        this.roles = source["roles"];
	        this.orgTypes = source["orgTypes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Run {
	    run: number;
	    connectionId: number;
	    connection: string;
	    direction: string;
	    mode: string;
	    operator: string;
	    status: string;
	    startedAt: string;
	    finishedAt: string;
	    counts: Record<string, EntityCounts>;
	    message: string;
	    integrationId?: number;
	    integration?: string;
	    trigger?: string;
	    undoOf?: number;
	    undoneBy?: number;
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = source["run"];
	        this.connectionId = source["connectionId"];
	        this.connection = source["connection"];
	        this.direction = source["direction"];
	        this.mode = source["mode"];
	        this.operator = source["operator"];
	        this.status = source["status"];
	        this.startedAt = source["startedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.counts = this.convertValues(source["counts"], EntityCounts, true);
	        this.message = source["message"];
	        this.integrationId = source["integrationId"];
	        this.integration = source["integration"];
	        this.trigger = source["trigger"];
	        this.undoOf = source["undoOf"];
	        this.undoneBy = source["undoneBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunQuery {
	    connectionId: number;
	    direction: string;
	    mode: string;
	    status: string;
	    from: string;
	    to: string;
	    search: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new RunQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.direction = source["direction"];
	        this.mode = source["mode"];
	        this.status = source["status"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.search = source["search"];
	        this.limit = source["limit"];
	    }
	}
	
	
	
	
	export class Supply {
	    only: Record<string, number>;
	    shared: Record<string, number>;
	
	    static createFrom(source: any = {}) {
	        return new Supply(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.only = source["only"];
	        this.shared = source["shared"];
	    }
	}
	export class SyncConflict {
	    id: number;
	    key: string;
	    connectionId: number;
	    entity: string;
	    sourcedId: string;
	    field: string;
	    baseline: string;
	    workspace: string;
	    external: string;
	    workspaceGone: boolean;
	    externalGone: boolean;
	    foundRun: number;
	    foundAt: string;
	    resolution: string;
	    resolvedAt: string;
	    resolvedBy: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncConflict(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.key = source["key"];
	        this.connectionId = source["connectionId"];
	        this.entity = source["entity"];
	        this.sourcedId = source["sourcedId"];
	        this.field = source["field"];
	        this.baseline = source["baseline"];
	        this.workspace = source["workspace"];
	        this.external = source["external"];
	        this.workspaceGone = source["workspaceGone"];
	        this.externalGone = source["externalGone"];
	        this.foundRun = source["foundRun"];
	        this.foundAt = source["foundAt"];
	        this.resolution = source["resolution"];
	        this.resolvedAt = source["resolvedAt"];
	        this.resolvedBy = source["resolvedBy"];
	    }
	}
	export class TestOutcome {
	    at: string;
	    ok: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new TestOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.ok = source["ok"];
	        this.message = source["message"];
	    }
	}
	export class UndoCounts {
	    removed: number;
	    restored: number;
	    fields: number;
	    revived: number;
	    left: number;
	    gone: number;
	
	    static createFrom(source: any = {}) {
	        return new UndoCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.removed = source["removed"];
	        this.restored = source["restored"];
	        this.fields = source["fields"];
	        this.revived = source["revived"];
	        this.left = source["left"];
	        this.gone = source["gone"];
	    }
	}

}

