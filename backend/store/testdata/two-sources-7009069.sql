-- A workspace written by Rosterdesk 7009069, the release before "one roster, many sources" (issue 11),
-- fed by two sources with the same ids (the SFTP and the REST feed of one SIS), made with that
-- release's CLI ({{DIR}} stands for the folder the test fills in):
--   rosterdesk generate --out {{DIR}}/sftp.zip --users 30 --seed 7; cp {{DIR}}/sftp.zip {{DIR}}/rest.zip
--   rosterdesk connection add "SIS SFTP" --kind oneroster-csv --set path={{DIR}}/sftp.zip
--   rosterdesk import "SIS SFTP"
--   rosterdesk connection add "SIS REST" --kind oneroster-csv --set path={{DIR}}/rest.zip
--   rosterdesk import "SIS REST"
-- then sqlite3's .dump, with the two pragmas .dump leaves out.
PRAGMA user_version = 5;
PRAGMA application_id = 1380209483;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE connections (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('source', 'target', 'both')),
    settings   TEXT NOT NULL DEFAULT '{}', -- JSON object; secrets are never stored here
    created_at TEXT NOT NULL
, last_test_at TEXT NOT NULL DEFAULT '', last_test_ok INTEGER NOT NULL DEFAULT 0, last_test_message TEXT NOT NULL DEFAULT '', secret_ref TEXT NOT NULL DEFAULT '', applied_at TEXT NOT NULL DEFAULT '');
INSERT INTO connections VALUES(1,'SIS SFTP','oneroster-csv','source','{"path":"{{DIR}}/sftp.zip"}','2026-12-01T10:28:31.594Z','',0,'','c326d2235840fc9d9ee3b64e4b5f8de9','2026-12-01T10:28:32.369Z');
INSERT INTO connections VALUES(2,'SIS REST','oneroster-csv','source','{"path":"{{DIR}}/rest.zip"}','2026-12-01T10:28:33.082Z','',0,'','231414f80e00db936794060cf9d7dddf','2026-12-01T10:28:33.698Z');
CREATE TABLE snapshots (
    connection_id INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    fetched_at    TEXT NOT NULL,
    path          TEXT NOT NULL,
    report        TEXT NOT NULL -- JSON validation report: version, modes, counts, findings
);
INSERT INTO snapshots VALUES(1,'2026-12-01T10:28:32.369Z','c1-1062357642/sftp.zip','{"version":"1.2","source":"Rosterdesk demo SIS","modes":{"academicSessions":"bulk","classes":"bulk","courses":"bulk","demographics":"bulk","enrollments":"bulk","orgs":"bulk","roles":"bulk","users":"bulk"},"counts":{"academicSessions":3,"classes":12,"courses":12,"demographics":30,"enrollments":192,"orgs":3,"roles":41,"users":41},"failed":{"academicSessions":0,"classes":0,"courses":0,"demographics":0,"enrollments":0,"orgs":0,"roles":0,"users":0},"findings":[]}');
INSERT INTO snapshots VALUES(2,'2026-12-01T10:28:33.698Z','c2-1351632365/rest.zip','{"version":"1.2","source":"Rosterdesk demo SIS","modes":{"academicSessions":"bulk","classes":"bulk","courses":"bulk","demographics":"bulk","enrollments":"bulk","orgs":"bulk","roles":"bulk","users":"bulk"},"counts":{"academicSessions":3,"classes":12,"courses":12,"demographics":30,"enrollments":192,"orgs":3,"roles":41,"users":41},"failed":{"academicSessions":0,"classes":0,"courses":0,"demographics":0,"enrollments":0,"orgs":0,"roles":0,"users":0},"findings":[]}');
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    connection_id   INTEGER REFERENCES connections (id) ON DELETE SET NULL,
    connection_name TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('import', 'export', 'sync')),
    mode            TEXT NOT NULL CHECK (mode IN ('full', 'selective', 'ids')),
    operator        TEXT NOT NULL,
    pid             INTEGER NOT NULL DEFAULT 0, -- the process running it, to tell a live run from one cut off by a crash
    status          TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'held', 'cancelled', 'interrupted')),
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    counts          TEXT NOT NULL DEFAULT '{}', -- JSON: entity -> {created, updated, deleted, unchanged, failed}
    message         TEXT NOT NULL DEFAULT ''
);
INSERT INTO runs VALUES(1,1,'SIS SFTP','import','full','root',2214,'succeeded','2026-12-01T10:28:32.222Z','2026-12-01T10:28:32.370Z','{"academicSessions":{"created":3,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"classes":{"created":12,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"courses":{"created":12,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"demographics":{"created":30,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"enrollments":{"created":192,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"orgs":{"created":3,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"roles":{"created":41,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"users":{"created":41,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0}}','334 created, 0 updated, 0 deleted, 0 failed.');
INSERT INTO runs VALUES(2,2,'SIS REST','import','full','root',2264,'succeeded','2026-12-01T10:28:33.491Z','2026-12-01T10:28:33.699Z','{"academicSessions":{"created":3,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"classes":{"created":12,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"courses":{"created":12,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"demographics":{"created":30,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"enrollments":{"created":192,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"orgs":{"created":3,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"roles":{"created":41,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0},"users":{"created":41,"updated":0,"deleted":0,"unchanged":0,"failed":0,"skipped":0}}','334 created, 0 updated, 0 deleted, 0 failed.');
CREATE TABLE run_records (
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    sourced_id TEXT NOT NULL,
    action     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
    field      TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE origins (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    source_id     TEXT NOT NULL, -- the roster record has the same sourcedId
    hash          INTEGER NOT NULL,
    created_run   INTEGER NOT NULL,
    PRIMARY KEY (connection_id, entity, source_id)
) WITHOUT ROWID;
INSERT INTO origins VALUES(1,'academicSessions','ses-2027',-5230625421797048480,1);
INSERT INTO origins VALUES(1,'academicSessions','ses-2027-s1',547947234397178919,1);
INSERT INTO origins VALUES(1,'academicSessions','ses-2027-s2',-7398193981135283780,1);
INSERT INTO origins VALUES(1,'classes','cls-0001-0-001',-939595923688776130,1);
INSERT INTO origins VALUES(1,'classes','cls-0001-1-001',-6609135450719937869,1);
INSERT INTO origins VALUES(1,'classes','cls-0001-2-001',6657571873113667231,1);
INSERT INTO origins VALUES(1,'classes','cls-0001-3-001',-5860388131997859781,1);
INSERT INTO origins VALUES(1,'classes','cls-0001-4-001',5312407230584940297,1);
INSERT INTO origins VALUES(1,'classes','cls-0001-5-001',-5440243801014649745,1);
INSERT INTO origins VALUES(1,'classes','cls-0002-0-001',3332424988230586935,1);
INSERT INTO origins VALUES(1,'classes','cls-0002-1-001',-1572812592344589894,1);
INSERT INTO origins VALUES(1,'classes','cls-0002-2-001',5583641777161701990,1);
INSERT INTO origins VALUES(1,'classes','cls-0002-3-001',3025769435819300750,1);
INSERT INTO origins VALUES(1,'classes','cls-0002-4-001',2954060862785195560,1);
INSERT INTO origins VALUES(1,'classes','cls-0002-5-001',4625890929859872256,1);
INSERT INTO origins VALUES(1,'courses','crs-0001-0',-4686819282174415373,1);
INSERT INTO origins VALUES(1,'courses','crs-0001-1',-8357543193660088036,1);
INSERT INTO origins VALUES(1,'courses','crs-0001-2',-7357077341357383059,1);
INSERT INTO origins VALUES(1,'courses','crs-0001-3',-7814536942021141267,1);
INSERT INTO origins VALUES(1,'courses','crs-0001-4',2121240530315623794,1);
INSERT INTO origins VALUES(1,'courses','crs-0001-5',-2414539999402863967,1);
INSERT INTO origins VALUES(1,'courses','crs-0002-0',185255408269652854,1);
INSERT INTO origins VALUES(1,'courses','crs-0002-1',1547136469528060495,1);
INSERT INTO origins VALUES(1,'courses','crs-0002-2',7016846914501894396,1);
INSERT INTO origins VALUES(1,'courses','crs-0002-3',-8469498559964794168,1);
INSERT INTO origins VALUES(1,'courses','crs-0002-4',220449909889698669,1);
INSERT INTO origins VALUES(1,'courses','crs-0002-5',7851488994014692354,1);
INSERT INTO origins VALUES(1,'demographics','usr-000001',-6997650205094885746,1);
INSERT INTO origins VALUES(1,'demographics','usr-000002',-5331134573023486603,1);
INSERT INTO origins VALUES(1,'demographics','usr-000003',3345983686615907393,1);
INSERT INTO origins VALUES(1,'demographics','usr-000004',-6274128986652931208,1);
INSERT INTO origins VALUES(1,'demographics','usr-000005',-3336939558146885029,1);
INSERT INTO origins VALUES(1,'demographics','usr-000006',352550151206375379,1);
INSERT INTO origins VALUES(1,'demographics','usr-000007',-4472186131268165362,1);
INSERT INTO origins VALUES(1,'demographics','usr-000008',5419225007205887906,1);
INSERT INTO origins VALUES(1,'demographics','usr-000009',8477844393646738884,1);
INSERT INTO origins VALUES(1,'demographics','usr-000010',7153318094429874421,1);
INSERT INTO origins VALUES(1,'demographics','usr-000011',-1557832714818003430,1);
INSERT INTO origins VALUES(1,'demographics','usr-000012',4508790283874575499,1);
INSERT INTO origins VALUES(1,'demographics','usr-000013',-8933307229770287487,1);
INSERT INTO origins VALUES(1,'demographics','usr-000014',3410693940577373356,1);
INSERT INTO origins VALUES(1,'demographics','usr-000015',6909435665197636624,1);
INSERT INTO origins VALUES(1,'demographics','usr-000016',-718135542543414432,1);
INSERT INTO origins VALUES(1,'demographics','usr-000017',5870615973379034391,1);
INSERT INTO origins VALUES(1,'demographics','usr-000018',-945598401266294591,1);
INSERT INTO origins VALUES(1,'demographics','usr-000019',-9005365910557542491,1);
INSERT INTO origins VALUES(1,'demographics','usr-000020',-7517342759772486201,1);
INSERT INTO origins VALUES(1,'demographics','usr-000021',-1731293114118185515,1);
INSERT INTO origins VALUES(1,'demographics','usr-000022',7387715393322211465,1);
INSERT INTO origins VALUES(1,'demographics','usr-000023',-1092509540993388880,1);
INSERT INTO origins VALUES(1,'demographics','usr-000024',-4013261253231210821,1);
INSERT INTO origins VALUES(1,'demographics','usr-000025',1662442091082686852,1);
INSERT INTO origins VALUES(1,'demographics','usr-000026',5542152030052474789,1);
INSERT INTO origins VALUES(1,'demographics','usr-000027',6774194947280527573,1);
INSERT INTO origins VALUES(1,'demographics','usr-000028',-3555929639081857663,1);
INSERT INTO origins VALUES(1,'demographics','usr-000029',-8380434799024987184,1);
INSERT INTO origins VALUES(1,'demographics','usr-000030',-3946480046203493720,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000001-0',-7365370478046246701,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000001-1',2359264351539938017,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000001-2',1150093746362646759,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000001-3',-5071915884365067319,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000001-4',-5736862930705767485,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000001-5',-4252497806008411735,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000002-0',5556990425438576101,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000002-1',7663828293823467027,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000002-2',-6995341356460391107,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000002-3',1241199149420420831,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000002-4',-5266023189294932051,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000002-5',7215425828812035931,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000003-0',248427668071141543,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000003-1',-8913816783852437743,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000003-2',5956307217815685555,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000003-3',-6741623843838045687,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000003-4',-7495391289273337601,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000003-5',-4324423372838833911,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000004-0',1033251307532060589,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000004-1',5688527312743324023,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000004-2',-4267568146189592939,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000004-3',57176687623817699,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000004-4',-4708197447987353771,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000004-5',-1272623230692834809,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000005-0',-7599025769227563597,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000005-1',705819847710529665,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000005-2',6592082756358737183,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000005-3',-8759193153931004823,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000005-4',5315622458463897411,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000005-5',-3143661770402386503,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000006-0',3551793930715085517,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000006-1',-6826177743734835405,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000006-2',221254096578207845,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000006-3',-5703950403063973161,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000006-4',-6780486224768787035,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000006-5',4781550413201922507,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000007-0',5723739213516224319,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000007-1',-303019728821954319,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000007-2',7665432121655389107,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000007-3',1615345587039014409,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000007-4',4940561427984148071,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000007-5',-3039509044105111047,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000008-0',8414886792951647941,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000008-1',4351083977543827999,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000008-2',5585045183565641085,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000008-3',1785966867647574595,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000008-4',1687473368896858829,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000008-5',-3807206361297125105,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000009-0',8766126317076651171,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000009-1',7185630558438840961,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000009-2',-2004408557996026425,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000009-3',951586025727836665,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000009-4',6343894333067501235,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000009-5',-6421403890538666311,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000010-0',6110649604522238759,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000010-1',-5163863068842227283,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000010-2',-3420772263567924429,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000010-3',663716152914551749,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000010-4',-3637417129317822033,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000010-5',-3843998656219534091,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000011-0',-6973144446994602899,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000011-1',-7400188396809130033,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000011-2',7801409817551641797,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000011-3',-6060338830579417733,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000011-4',-8228133785158698043,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000011-5',3069687855932495335,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000012-0',-870575127827340305,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000012-1',-6532762932970018431,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000012-2',-2284858227321734749,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000012-3',6353396387518080873,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000012-4',-9095478740794254273,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000012-5',-3119714534923438471,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000013-0',3659197304641253393,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000013-1',-454041992167250153,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000013-2',7028320125686650745,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000013-3',-7964438828550263749,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000013-4',-2081843720371219591,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000013-5',-4811458302255221081,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000014-0',-6683296927688796441,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000014-1',1019488183029176781,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000014-2',-8661372240591815845,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000014-3',-8058173348463469307,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000014-4',-764160865012203777,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000014-5',7361012062195736517,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000015-0',-7393773630551447299,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000015-1',5093681796852699055,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000015-2',3458254046408802741,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000015-3',6638713602497127939,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000015-4',5921472741838207845,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000015-5',-2775345407138448201,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000016-0',6679780961492552225,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000016-1',7386955969951938139,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000016-2',8218645347661560669,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000016-3',-3718938425329146845,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000016-4',8643803377678298001,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000016-5',-6742351402529380797,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000017-0',8294623540308411075,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000017-1',-6699974013849647879,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000017-2',-4388965768923226101,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000017-3',-5061727125884855595,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000017-4',-6202133427032970341,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000017-5',2553543315208067337,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000018-0',-6816814889659684987,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000018-1',-3943596864636590997,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000018-2',7041560194207156385,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000018-3',-1557407384761488141,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000018-4',-8657796594729188707,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000018-5',7775692957885205123,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000019-0',-3410822285440353285,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000019-1',-4971702815447939515,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000019-2',-5359226497334475869,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000019-3',2953546607022794033,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000019-4',6412503713478499715,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000019-5',5342120341415006477,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000020-0',8087733329365963471,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000020-1',-6148643277568903843,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000020-2',-325871787341268601,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000020-3',-902250440160583367,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000020-4',7986983294672699127,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000020-5',-2666334333549412187,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000021-0',1199238066333506485,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000021-1',-4153329317666984913,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000021-2',3892094651545708929,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000021-3',2113533063014784647,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000021-4',-3488017301028952531,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000021-5',4057967289219015271,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000022-0',730410213264601331,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000022-1',-3688996277801417195,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000022-2',-3523289344711961381,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000022-3',-4657150564293080711,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000022-4',-1397807854680597749,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000022-5',-1447446299073970139,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000023-0',7085988451003183341,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000023-1',-6085041373345484109,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000023-2',4143624094999513969,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000023-3',-7676187564311255877,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000023-4',-591013579863542691,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000023-5',5026139077266561595,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000024-0',3226438496946919639,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000024-1',-7573668050424362843,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000024-2',8944857660763094383,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000024-3',-232310184662046551,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000024-4',1369423766694080463,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000024-5',-8705684557314388803,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000025-0',7147832875096921709,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000025-1',4102571110354656247,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000025-2',7023645765637187361,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000025-3',2130960745253906863,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000025-4',-3285839597799195787,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000025-5',3054309767035614143,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000026-0',7443097045100062019,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000026-1',3592940645914330397,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000026-2',-4284579768728284405,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000026-3',-235634432178346839,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000026-4',-6809266942240625877,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000026-5',-4778395177448851955,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000027-0',-9156612370931594251,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000027-1',4564824657246958355,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000027-2',-8247406248020482335,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000027-3',1638150533097737307,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000027-4',-8896881530296916219,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000027-5',2893453336214410635,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000028-0',-3783638930534628593,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000028-1',8093729998238640909,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000028-2',-7658112381384507561,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000028-3',5913285520498301785,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000028-4',-7452669847182126297,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000028-5',-3716571899377496187,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000029-0',4570324904554542037,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000029-1',-4175068207439751377,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000029-2',6652658835804688209,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000029-3',-442067809964920425,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000029-4',-6766663894975565603,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000029-5',-1015505249046982761,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000030-0',-4851693819332058067,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000030-1',6714203844371088663,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000030-2',-5849633459990694415,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000030-3',3583788285966318591,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000030-4',5344282708075577181,1);
INSERT INTO origins VALUES(1,'enrollments','enr-000030-5',-4259431804781449985,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0001-0-001',-7120787816080106669,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0001-1-001',-9204515638834570755,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0001-2-001',7980628971906991567,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0001-3-001',-1414234482774173155,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0001-4-001',5572763722410085475,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0001-5-001',4980930521801231077,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0002-0-001',-3752228874923279851,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0002-1-001',-6852277123659406961,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0002-2-001',-2784376953381683499,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0002-3-001',8786931191705286243,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0002-4-001',-820724668987861699,1);
INSERT INTO origins VALUES(1,'enrollments','enr-t-0002-5-001',5053191802174818071,1);
INSERT INTO origins VALUES(1,'orgs','org-0000',-7626777677807620635,1);
INSERT INTO origins VALUES(1,'orgs','org-0001',1885221691783065945,1);
INSERT INTO origins VALUES(1,'orgs','org-0002',-4937651637721372834,1);
INSERT INTO origins VALUES(1,'roles','rol-000001',-3040708085167432841,1);
INSERT INTO origins VALUES(1,'roles','rol-000002',7536432757888184721,1);
INSERT INTO origins VALUES(1,'roles','rol-000003',-3590772738613019545,1);
INSERT INTO origins VALUES(1,'roles','rol-000004',-6057096051094327259,1);
INSERT INTO origins VALUES(1,'roles','rol-000005',-1933036394455145745,1);
INSERT INTO origins VALUES(1,'roles','rol-000006',8327240620374529633,1);
INSERT INTO origins VALUES(1,'roles','rol-000007',1176249924835802479,1);
INSERT INTO origins VALUES(1,'roles','rol-000008',-1537701594934757475,1);
INSERT INTO origins VALUES(1,'roles','rol-000009',-2016448676470733913,1);
INSERT INTO origins VALUES(1,'roles','rol-000010',-8421989019711494073,1);
INSERT INTO origins VALUES(1,'roles','rol-000011',4879322401171861521,1);
INSERT INTO origins VALUES(1,'roles','rol-000012',830683708638084691,1);
INSERT INTO origins VALUES(1,'roles','rol-000013',-482638058676678639,1);
INSERT INTO origins VALUES(1,'roles','rol-000014',7995046982888019599,1);
INSERT INTO origins VALUES(1,'roles','rol-000015',1571076246587780129,1);
INSERT INTO origins VALUES(1,'roles','rol-000016',-2461818374873636238,1);
INSERT INTO origins VALUES(1,'roles','rol-000017',-8695997733466558628,1);
INSERT INTO origins VALUES(1,'roles','rol-000018',-23113454241996490,1);
INSERT INTO origins VALUES(1,'roles','rol-000019',5853488239404812652,1);
INSERT INTO origins VALUES(1,'roles','rol-000020',5974418435031047004,1);
INSERT INTO origins VALUES(1,'roles','rol-000021',399814154802231882,1);
INSERT INTO origins VALUES(1,'roles','rol-000022',3139974506263310408,1);
INSERT INTO origins VALUES(1,'roles','rol-000023',7709032567425587810,1);
INSERT INTO origins VALUES(1,'roles','rol-000024',-6407299340639699412,1);
INSERT INTO origins VALUES(1,'roles','rol-000025',1182793614444569082,1);
INSERT INTO origins VALUES(1,'roles','rol-000026',-4759771784925047616,1);
INSERT INTO origins VALUES(1,'roles','rol-000027',-4376487999252462334,1);
INSERT INTO origins VALUES(1,'roles','rol-000028',-3956761979031872708,1);
INSERT INTO origins VALUES(1,'roles','rol-000029',-1936157775383586966,1);
INSERT INTO origins VALUES(1,'roles','rol-000030',7337869614913100534,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000001',-8445505386172359247,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000004',4099138522008077499,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000008',-4006885192688357149,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000011',-4489607834631772317,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000014',2732298841417002533,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000018',-8936602084836139752,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000021',-5280872834757691676,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000024',2396927518932680954,1);
INSERT INTO origins VALUES(1,'roles','rol-g-000028',1958455069792414002,1);
INSERT INTO origins VALUES(1,'roles','rol-t-00001',-7624295059821788782,1);
INSERT INTO origins VALUES(1,'roles','rol-t-00002',-5708414265818098813,1);
INSERT INTO origins VALUES(1,'users','usr-000001',4085349072301717188,1);
INSERT INTO origins VALUES(1,'users','usr-000002',7341628859073054192,1);
INSERT INTO origins VALUES(1,'users','usr-000003',8846437771100564866,1);
INSERT INTO origins VALUES(1,'users','usr-000004',3504568499925731587,1);
INSERT INTO origins VALUES(1,'users','usr-000005',7889917038846738050,1);
INSERT INTO origins VALUES(1,'users','usr-000006',-8918540026382005831,1);
INSERT INTO origins VALUES(1,'users','usr-000007',-2425088371472301181,1);
INSERT INTO origins VALUES(1,'users','usr-000008',-3133238155281385844,1);
INSERT INTO origins VALUES(1,'users','usr-000009',2125919385485085976,1);
INSERT INTO origins VALUES(1,'users','usr-000010',-4569477130256538633,1);
INSERT INTO origins VALUES(1,'users','usr-000011',-4729309768977006796,1);
INSERT INTO origins VALUES(1,'users','usr-000012',613812351926276857,1);
INSERT INTO origins VALUES(1,'users','usr-000013',-8129438128242001307,1);
INSERT INTO origins VALUES(1,'users','usr-000014',36179834408668423,1);
INSERT INTO origins VALUES(1,'users','usr-000015',3553855636968005696,1);
INSERT INTO origins VALUES(1,'users','usr-000016',6062587316688404692,1);
INSERT INTO origins VALUES(1,'users','usr-000017',-2389406370227794942,1);
INSERT INTO origins VALUES(1,'users','usr-000018',5379047494204326082,1);
INSERT INTO origins VALUES(1,'users','usr-000019',8965542404917475656,1);
INSERT INTO origins VALUES(1,'users','usr-000020',-4886213430757284871,1);
INSERT INTO origins VALUES(1,'users','usr-000021',1563050462960430430,1);
INSERT INTO origins VALUES(1,'users','usr-000022',-8893989794897323282,1);
INSERT INTO origins VALUES(1,'users','usr-000023',-2837767733251494879,1);
INSERT INTO origins VALUES(1,'users','usr-000024',528827022259272743,1);
INSERT INTO origins VALUES(1,'users','usr-000025',4562058403479380122,1);
INSERT INTO origins VALUES(1,'users','usr-000026',3813934720830643700,1);
INSERT INTO origins VALUES(1,'users','usr-000027',2797199759670772394,1);
INSERT INTO origins VALUES(1,'users','usr-000028',7891508852645657565,1);
INSERT INTO origins VALUES(1,'users','usr-000029',4714409681336381236,1);
INSERT INTO origins VALUES(1,'users','usr-000030',-1609708223576378786,1);
INSERT INTO origins VALUES(1,'users','usr-g-000001',5614494742759864718,1);
INSERT INTO origins VALUES(1,'users','usr-g-000004',-8773696683530542313,1);
INSERT INTO origins VALUES(1,'users','usr-g-000008',4996979709600917281,1);
INSERT INTO origins VALUES(1,'users','usr-g-000011',-8219092874189186637,1);
INSERT INTO origins VALUES(1,'users','usr-g-000014',-4437791158999704430,1);
INSERT INTO origins VALUES(1,'users','usr-g-000018',1490528383630962760,1);
INSERT INTO origins VALUES(1,'users','usr-g-000021',-2680542752420997097,1);
INSERT INTO origins VALUES(1,'users','usr-g-000024',-1022606497177590917,1);
INSERT INTO origins VALUES(1,'users','usr-g-000028',5574576571696953535,1);
INSERT INTO origins VALUES(1,'users','usr-t-00001',-1072021111077249677,1);
INSERT INTO origins VALUES(1,'users','usr-t-00002',461166982587781864,1);
INSERT INTO origins VALUES(2,'academicSessions','ses-2027',-5230625421797048480,2);
INSERT INTO origins VALUES(2,'academicSessions','ses-2027-s1',547947234397178919,2);
INSERT INTO origins VALUES(2,'academicSessions','ses-2027-s2',-7398193981135283780,2);
INSERT INTO origins VALUES(2,'classes','cls-0001-0-001',-939595923688776130,2);
INSERT INTO origins VALUES(2,'classes','cls-0001-1-001',-6609135450719937869,2);
INSERT INTO origins VALUES(2,'classes','cls-0001-2-001',6657571873113667231,2);
INSERT INTO origins VALUES(2,'classes','cls-0001-3-001',-5860388131997859781,2);
INSERT INTO origins VALUES(2,'classes','cls-0001-4-001',5312407230584940297,2);
INSERT INTO origins VALUES(2,'classes','cls-0001-5-001',-5440243801014649745,2);
INSERT INTO origins VALUES(2,'classes','cls-0002-0-001',3332424988230586935,2);
INSERT INTO origins VALUES(2,'classes','cls-0002-1-001',-1572812592344589894,2);
INSERT INTO origins VALUES(2,'classes','cls-0002-2-001',5583641777161701990,2);
INSERT INTO origins VALUES(2,'classes','cls-0002-3-001',3025769435819300750,2);
INSERT INTO origins VALUES(2,'classes','cls-0002-4-001',2954060862785195560,2);
INSERT INTO origins VALUES(2,'classes','cls-0002-5-001',4625890929859872256,2);
INSERT INTO origins VALUES(2,'courses','crs-0001-0',-4686819282174415373,2);
INSERT INTO origins VALUES(2,'courses','crs-0001-1',-8357543193660088036,2);
INSERT INTO origins VALUES(2,'courses','crs-0001-2',-7357077341357383059,2);
INSERT INTO origins VALUES(2,'courses','crs-0001-3',-7814536942021141267,2);
INSERT INTO origins VALUES(2,'courses','crs-0001-4',2121240530315623794,2);
INSERT INTO origins VALUES(2,'courses','crs-0001-5',-2414539999402863967,2);
INSERT INTO origins VALUES(2,'courses','crs-0002-0',185255408269652854,2);
INSERT INTO origins VALUES(2,'courses','crs-0002-1',1547136469528060495,2);
INSERT INTO origins VALUES(2,'courses','crs-0002-2',7016846914501894396,2);
INSERT INTO origins VALUES(2,'courses','crs-0002-3',-8469498559964794168,2);
INSERT INTO origins VALUES(2,'courses','crs-0002-4',220449909889698669,2);
INSERT INTO origins VALUES(2,'courses','crs-0002-5',7851488994014692354,2);
INSERT INTO origins VALUES(2,'demographics','usr-000001',-6997650205094885746,2);
INSERT INTO origins VALUES(2,'demographics','usr-000002',-5331134573023486603,2);
INSERT INTO origins VALUES(2,'demographics','usr-000003',3345983686615907393,2);
INSERT INTO origins VALUES(2,'demographics','usr-000004',-6274128986652931208,2);
INSERT INTO origins VALUES(2,'demographics','usr-000005',-3336939558146885029,2);
INSERT INTO origins VALUES(2,'demographics','usr-000006',352550151206375379,2);
INSERT INTO origins VALUES(2,'demographics','usr-000007',-4472186131268165362,2);
INSERT INTO origins VALUES(2,'demographics','usr-000008',5419225007205887906,2);
INSERT INTO origins VALUES(2,'demographics','usr-000009',8477844393646738884,2);
INSERT INTO origins VALUES(2,'demographics','usr-000010',7153318094429874421,2);
INSERT INTO origins VALUES(2,'demographics','usr-000011',-1557832714818003430,2);
INSERT INTO origins VALUES(2,'demographics','usr-000012',4508790283874575499,2);
INSERT INTO origins VALUES(2,'demographics','usr-000013',-8933307229770287487,2);
INSERT INTO origins VALUES(2,'demographics','usr-000014',3410693940577373356,2);
INSERT INTO origins VALUES(2,'demographics','usr-000015',6909435665197636624,2);
INSERT INTO origins VALUES(2,'demographics','usr-000016',-718135542543414432,2);
INSERT INTO origins VALUES(2,'demographics','usr-000017',5870615973379034391,2);
INSERT INTO origins VALUES(2,'demographics','usr-000018',-945598401266294591,2);
INSERT INTO origins VALUES(2,'demographics','usr-000019',-9005365910557542491,2);
INSERT INTO origins VALUES(2,'demographics','usr-000020',-7517342759772486201,2);
INSERT INTO origins VALUES(2,'demographics','usr-000021',-1731293114118185515,2);
INSERT INTO origins VALUES(2,'demographics','usr-000022',7387715393322211465,2);
INSERT INTO origins VALUES(2,'demographics','usr-000023',-1092509540993388880,2);
INSERT INTO origins VALUES(2,'demographics','usr-000024',-4013261253231210821,2);
INSERT INTO origins VALUES(2,'demographics','usr-000025',1662442091082686852,2);
INSERT INTO origins VALUES(2,'demographics','usr-000026',5542152030052474789,2);
INSERT INTO origins VALUES(2,'demographics','usr-000027',6774194947280527573,2);
INSERT INTO origins VALUES(2,'demographics','usr-000028',-3555929639081857663,2);
INSERT INTO origins VALUES(2,'demographics','usr-000029',-8380434799024987184,2);
INSERT INTO origins VALUES(2,'demographics','usr-000030',-3946480046203493720,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000001-0',-7365370478046246701,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000001-1',2359264351539938017,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000001-2',1150093746362646759,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000001-3',-5071915884365067319,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000001-4',-5736862930705767485,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000001-5',-4252497806008411735,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000002-0',5556990425438576101,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000002-1',7663828293823467027,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000002-2',-6995341356460391107,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000002-3',1241199149420420831,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000002-4',-5266023189294932051,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000002-5',7215425828812035931,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000003-0',248427668071141543,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000003-1',-8913816783852437743,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000003-2',5956307217815685555,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000003-3',-6741623843838045687,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000003-4',-7495391289273337601,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000003-5',-4324423372838833911,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000004-0',1033251307532060589,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000004-1',5688527312743324023,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000004-2',-4267568146189592939,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000004-3',57176687623817699,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000004-4',-4708197447987353771,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000004-5',-1272623230692834809,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000005-0',-7599025769227563597,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000005-1',705819847710529665,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000005-2',6592082756358737183,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000005-3',-8759193153931004823,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000005-4',5315622458463897411,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000005-5',-3143661770402386503,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000006-0',3551793930715085517,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000006-1',-6826177743734835405,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000006-2',221254096578207845,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000006-3',-5703950403063973161,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000006-4',-6780486224768787035,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000006-5',4781550413201922507,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000007-0',5723739213516224319,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000007-1',-303019728821954319,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000007-2',7665432121655389107,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000007-3',1615345587039014409,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000007-4',4940561427984148071,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000007-5',-3039509044105111047,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000008-0',8414886792951647941,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000008-1',4351083977543827999,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000008-2',5585045183565641085,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000008-3',1785966867647574595,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000008-4',1687473368896858829,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000008-5',-3807206361297125105,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000009-0',8766126317076651171,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000009-1',7185630558438840961,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000009-2',-2004408557996026425,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000009-3',951586025727836665,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000009-4',6343894333067501235,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000009-5',-6421403890538666311,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000010-0',6110649604522238759,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000010-1',-5163863068842227283,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000010-2',-3420772263567924429,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000010-3',663716152914551749,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000010-4',-3637417129317822033,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000010-5',-3843998656219534091,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000011-0',-6973144446994602899,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000011-1',-7400188396809130033,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000011-2',7801409817551641797,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000011-3',-6060338830579417733,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000011-4',-8228133785158698043,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000011-5',3069687855932495335,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000012-0',-870575127827340305,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000012-1',-6532762932970018431,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000012-2',-2284858227321734749,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000012-3',6353396387518080873,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000012-4',-9095478740794254273,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000012-5',-3119714534923438471,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000013-0',3659197304641253393,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000013-1',-454041992167250153,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000013-2',7028320125686650745,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000013-3',-7964438828550263749,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000013-4',-2081843720371219591,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000013-5',-4811458302255221081,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000014-0',-6683296927688796441,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000014-1',1019488183029176781,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000014-2',-8661372240591815845,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000014-3',-8058173348463469307,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000014-4',-764160865012203777,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000014-5',7361012062195736517,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000015-0',-7393773630551447299,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000015-1',5093681796852699055,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000015-2',3458254046408802741,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000015-3',6638713602497127939,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000015-4',5921472741838207845,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000015-5',-2775345407138448201,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000016-0',6679780961492552225,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000016-1',7386955969951938139,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000016-2',8218645347661560669,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000016-3',-3718938425329146845,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000016-4',8643803377678298001,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000016-5',-6742351402529380797,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000017-0',8294623540308411075,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000017-1',-6699974013849647879,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000017-2',-4388965768923226101,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000017-3',-5061727125884855595,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000017-4',-6202133427032970341,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000017-5',2553543315208067337,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000018-0',-6816814889659684987,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000018-1',-3943596864636590997,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000018-2',7041560194207156385,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000018-3',-1557407384761488141,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000018-4',-8657796594729188707,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000018-5',7775692957885205123,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000019-0',-3410822285440353285,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000019-1',-4971702815447939515,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000019-2',-5359226497334475869,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000019-3',2953546607022794033,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000019-4',6412503713478499715,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000019-5',5342120341415006477,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000020-0',8087733329365963471,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000020-1',-6148643277568903843,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000020-2',-325871787341268601,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000020-3',-902250440160583367,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000020-4',7986983294672699127,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000020-5',-2666334333549412187,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000021-0',1199238066333506485,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000021-1',-4153329317666984913,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000021-2',3892094651545708929,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000021-3',2113533063014784647,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000021-4',-3488017301028952531,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000021-5',4057967289219015271,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000022-0',730410213264601331,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000022-1',-3688996277801417195,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000022-2',-3523289344711961381,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000022-3',-4657150564293080711,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000022-4',-1397807854680597749,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000022-5',-1447446299073970139,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000023-0',7085988451003183341,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000023-1',-6085041373345484109,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000023-2',4143624094999513969,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000023-3',-7676187564311255877,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000023-4',-591013579863542691,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000023-5',5026139077266561595,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000024-0',3226438496946919639,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000024-1',-7573668050424362843,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000024-2',8944857660763094383,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000024-3',-232310184662046551,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000024-4',1369423766694080463,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000024-5',-8705684557314388803,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000025-0',7147832875096921709,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000025-1',4102571110354656247,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000025-2',7023645765637187361,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000025-3',2130960745253906863,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000025-4',-3285839597799195787,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000025-5',3054309767035614143,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000026-0',7443097045100062019,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000026-1',3592940645914330397,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000026-2',-4284579768728284405,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000026-3',-235634432178346839,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000026-4',-6809266942240625877,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000026-5',-4778395177448851955,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000027-0',-9156612370931594251,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000027-1',4564824657246958355,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000027-2',-8247406248020482335,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000027-3',1638150533097737307,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000027-4',-8896881530296916219,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000027-5',2893453336214410635,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000028-0',-3783638930534628593,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000028-1',8093729998238640909,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000028-2',-7658112381384507561,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000028-3',5913285520498301785,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000028-4',-7452669847182126297,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000028-5',-3716571899377496187,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000029-0',4570324904554542037,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000029-1',-4175068207439751377,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000029-2',6652658835804688209,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000029-3',-442067809964920425,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000029-4',-6766663894975565603,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000029-5',-1015505249046982761,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000030-0',-4851693819332058067,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000030-1',6714203844371088663,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000030-2',-5849633459990694415,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000030-3',3583788285966318591,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000030-4',5344282708075577181,2);
INSERT INTO origins VALUES(2,'enrollments','enr-000030-5',-4259431804781449985,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0001-0-001',-7120787816080106669,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0001-1-001',-9204515638834570755,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0001-2-001',7980628971906991567,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0001-3-001',-1414234482774173155,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0001-4-001',5572763722410085475,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0001-5-001',4980930521801231077,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0002-0-001',-3752228874923279851,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0002-1-001',-6852277123659406961,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0002-2-001',-2784376953381683499,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0002-3-001',8786931191705286243,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0002-4-001',-820724668987861699,2);
INSERT INTO origins VALUES(2,'enrollments','enr-t-0002-5-001',5053191802174818071,2);
INSERT INTO origins VALUES(2,'orgs','org-0000',-7626777677807620635,2);
INSERT INTO origins VALUES(2,'orgs','org-0001',1885221691783065945,2);
INSERT INTO origins VALUES(2,'orgs','org-0002',-4937651637721372834,2);
INSERT INTO origins VALUES(2,'roles','rol-000001',-3040708085167432841,2);
INSERT INTO origins VALUES(2,'roles','rol-000002',7536432757888184721,2);
INSERT INTO origins VALUES(2,'roles','rol-000003',-3590772738613019545,2);
INSERT INTO origins VALUES(2,'roles','rol-000004',-6057096051094327259,2);
INSERT INTO origins VALUES(2,'roles','rol-000005',-1933036394455145745,2);
INSERT INTO origins VALUES(2,'roles','rol-000006',8327240620374529633,2);
INSERT INTO origins VALUES(2,'roles','rol-000007',1176249924835802479,2);
INSERT INTO origins VALUES(2,'roles','rol-000008',-1537701594934757475,2);
INSERT INTO origins VALUES(2,'roles','rol-000009',-2016448676470733913,2);
INSERT INTO origins VALUES(2,'roles','rol-000010',-8421989019711494073,2);
INSERT INTO origins VALUES(2,'roles','rol-000011',4879322401171861521,2);
INSERT INTO origins VALUES(2,'roles','rol-000012',830683708638084691,2);
INSERT INTO origins VALUES(2,'roles','rol-000013',-482638058676678639,2);
INSERT INTO origins VALUES(2,'roles','rol-000014',7995046982888019599,2);
INSERT INTO origins VALUES(2,'roles','rol-000015',1571076246587780129,2);
INSERT INTO origins VALUES(2,'roles','rol-000016',-2461818374873636238,2);
INSERT INTO origins VALUES(2,'roles','rol-000017',-8695997733466558628,2);
INSERT INTO origins VALUES(2,'roles','rol-000018',-23113454241996490,2);
INSERT INTO origins VALUES(2,'roles','rol-000019',5853488239404812652,2);
INSERT INTO origins VALUES(2,'roles','rol-000020',5974418435031047004,2);
INSERT INTO origins VALUES(2,'roles','rol-000021',399814154802231882,2);
INSERT INTO origins VALUES(2,'roles','rol-000022',3139974506263310408,2);
INSERT INTO origins VALUES(2,'roles','rol-000023',7709032567425587810,2);
INSERT INTO origins VALUES(2,'roles','rol-000024',-6407299340639699412,2);
INSERT INTO origins VALUES(2,'roles','rol-000025',1182793614444569082,2);
INSERT INTO origins VALUES(2,'roles','rol-000026',-4759771784925047616,2);
INSERT INTO origins VALUES(2,'roles','rol-000027',-4376487999252462334,2);
INSERT INTO origins VALUES(2,'roles','rol-000028',-3956761979031872708,2);
INSERT INTO origins VALUES(2,'roles','rol-000029',-1936157775383586966,2);
INSERT INTO origins VALUES(2,'roles','rol-000030',7337869614913100534,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000001',-8445505386172359247,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000004',4099138522008077499,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000008',-4006885192688357149,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000011',-4489607834631772317,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000014',2732298841417002533,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000018',-8936602084836139752,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000021',-5280872834757691676,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000024',2396927518932680954,2);
INSERT INTO origins VALUES(2,'roles','rol-g-000028',1958455069792414002,2);
INSERT INTO origins VALUES(2,'roles','rol-t-00001',-7624295059821788782,2);
INSERT INTO origins VALUES(2,'roles','rol-t-00002',-5708414265818098813,2);
INSERT INTO origins VALUES(2,'users','usr-000001',4085349072301717188,2);
INSERT INTO origins VALUES(2,'users','usr-000002',7341628859073054192,2);
INSERT INTO origins VALUES(2,'users','usr-000003',8846437771100564866,2);
INSERT INTO origins VALUES(2,'users','usr-000004',3504568499925731587,2);
INSERT INTO origins VALUES(2,'users','usr-000005',7889917038846738050,2);
INSERT INTO origins VALUES(2,'users','usr-000006',-8918540026382005831,2);
INSERT INTO origins VALUES(2,'users','usr-000007',-2425088371472301181,2);
INSERT INTO origins VALUES(2,'users','usr-000008',-3133238155281385844,2);
INSERT INTO origins VALUES(2,'users','usr-000009',2125919385485085976,2);
INSERT INTO origins VALUES(2,'users','usr-000010',-4569477130256538633,2);
INSERT INTO origins VALUES(2,'users','usr-000011',-4729309768977006796,2);
INSERT INTO origins VALUES(2,'users','usr-000012',613812351926276857,2);
INSERT INTO origins VALUES(2,'users','usr-000013',-8129438128242001307,2);
INSERT INTO origins VALUES(2,'users','usr-000014',36179834408668423,2);
INSERT INTO origins VALUES(2,'users','usr-000015',3553855636968005696,2);
INSERT INTO origins VALUES(2,'users','usr-000016',6062587316688404692,2);
INSERT INTO origins VALUES(2,'users','usr-000017',-2389406370227794942,2);
INSERT INTO origins VALUES(2,'users','usr-000018',5379047494204326082,2);
INSERT INTO origins VALUES(2,'users','usr-000019',8965542404917475656,2);
INSERT INTO origins VALUES(2,'users','usr-000020',-4886213430757284871,2);
INSERT INTO origins VALUES(2,'users','usr-000021',1563050462960430430,2);
INSERT INTO origins VALUES(2,'users','usr-000022',-8893989794897323282,2);
INSERT INTO origins VALUES(2,'users','usr-000023',-2837767733251494879,2);
INSERT INTO origins VALUES(2,'users','usr-000024',528827022259272743,2);
INSERT INTO origins VALUES(2,'users','usr-000025',4562058403479380122,2);
INSERT INTO origins VALUES(2,'users','usr-000026',3813934720830643700,2);
INSERT INTO origins VALUES(2,'users','usr-000027',2797199759670772394,2);
INSERT INTO origins VALUES(2,'users','usr-000028',7891508852645657565,2);
INSERT INTO origins VALUES(2,'users','usr-000029',4714409681336381236,2);
INSERT INTO origins VALUES(2,'users','usr-000030',-1609708223576378786,2);
INSERT INTO origins VALUES(2,'users','usr-g-000001',5614494742759864718,2);
INSERT INTO origins VALUES(2,'users','usr-g-000004',-8773696683530542313,2);
INSERT INTO origins VALUES(2,'users','usr-g-000008',4996979709600917281,2);
INSERT INTO origins VALUES(2,'users','usr-g-000011',-8219092874189186637,2);
INSERT INTO origins VALUES(2,'users','usr-g-000014',-4437791158999704430,2);
INSERT INTO origins VALUES(2,'users','usr-g-000018',1490528383630962760,2);
INSERT INTO origins VALUES(2,'users','usr-g-000021',-2680542752420997097,2);
INSERT INTO origins VALUES(2,'users','usr-g-000024',-1022606497177590917,2);
INSERT INTO origins VALUES(2,'users','usr-g-000028',5574576571696953535,2);
INSERT INTO origins VALUES(2,'users','usr-t-00001',-1072021111077249677,2);
INSERT INTO origins VALUES(2,'users','usr-t-00002',461166982587781864,2);
CREATE TABLE roster_orgs (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "name" TEXT,
    "type" TEXT,
    "identifier" TEXT,
    "parentSourcedId" TEXT,
    metadata TEXT
);
INSERT INTO roster_orgs VALUES('org-0000','active','2026-12-01T10:28:33.633Z','Springfield Unified School District','district','D0001',NULL,NULL);
INSERT INTO roster_orgs VALUES('org-0001','active','2026-12-01T10:28:33.633Z','Maple Ridge Elementary School','school','S0001','org-0000',NULL);
INSERT INTO roster_orgs VALUES('org-0002','active','2026-12-01T10:28:33.633Z','Cedar Grove Middle School','school','S0002','org-0000',NULL);
CREATE TABLE roster_academicSessions (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "title" TEXT,
    "type" TEXT,
    "startDate" TEXT,
    "endDate" TEXT,
    "parentSourcedId" TEXT,
    "schoolYear" TEXT,
    metadata TEXT
);
INSERT INTO roster_academicSessions VALUES('ses-2027','active','2026-12-01T10:28:33.633Z','2026-2027','schoolYear','2026-08-17','2027-06-11',NULL,'2027',NULL);
INSERT INTO roster_academicSessions VALUES('ses-2027-s1','active','2026-12-01T10:28:33.633Z','Fall 2026','semester','2026-08-17','2027-01-15','ses-2027','2027',NULL);
INSERT INTO roster_academicSessions VALUES('ses-2027-s2','active','2026-12-01T10:28:33.633Z','Spring 2027','semester','2027-01-19','2027-06-11','ses-2027','2027',NULL);
CREATE TABLE roster_courses (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "schoolYearSourcedId" TEXT,
    "title" TEXT,
    "courseCode" TEXT,
    "grades" TEXT,
    "orgSourcedId" TEXT,
    "subjects" TEXT,
    "subjectCodes" TEXT,
    metadata TEXT
);
INSERT INTO roster_courses VALUES('crs-0001-0','active','2026-12-01T10:28:33.633Z','ses-2027','Homeroom, grades KG-05','HOM-KG','KG,01,02,03,04,05','org-0001','Homeroom',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0001-1','active','2026-12-01T10:28:33.633Z','ses-2027','Mathematics, grades KG-05','MAT-KG','KG,01,02,03,04,05','org-0001','Mathematics',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0001-2','active','2026-12-01T10:28:33.633Z','ses-2027','English Language Arts, grades KG-05','ENG-KG','KG,01,02,03,04,05','org-0001','English Language Arts',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0001-3','active','2026-12-01T10:28:33.633Z','ses-2027','Science, grades KG-05','SCI-KG','KG,01,02,03,04,05','org-0001','Science',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0001-4','active','2026-12-01T10:28:33.633Z','ses-2027','Social Studies, grades KG-05','SOC-KG','KG,01,02,03,04,05','org-0001','Social Studies',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0001-5','active','2026-12-01T10:28:33.633Z','ses-2027','Physical Education, grades KG-05','PHY-KG','KG,01,02,03,04,05','org-0001','Physical Education',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0002-0','active','2026-12-01T10:28:33.633Z','ses-2027','Homeroom, grades 06-08','HOM-06','06,07,08','org-0002','Homeroom',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0002-1','active','2026-12-01T10:28:33.633Z','ses-2027','Mathematics, grades 06-08','MAT-06','06,07,08','org-0002','Mathematics',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0002-2','active','2026-12-01T10:28:33.633Z','ses-2027','English Language Arts, grades 06-08','ENG-06','06,07,08','org-0002','English Language Arts',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0002-3','active','2026-12-01T10:28:33.633Z','ses-2027','Science, grades 06-08','SCI-06','06,07,08','org-0002','Science',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0002-4','active','2026-12-01T10:28:33.633Z','ses-2027','Social Studies, grades 06-08','SOC-06','06,07,08','org-0002','Social Studies',NULL,NULL);
INSERT INTO roster_courses VALUES('crs-0002-5','active','2026-12-01T10:28:33.633Z','ses-2027','Physical Education, grades 06-08','PHY-06','06,07,08','org-0002','Physical Education',NULL,NULL);
CREATE TABLE roster_classes (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "title" TEXT,
    "grades" TEXT,
    "courseSourcedId" TEXT,
    "classCode" TEXT,
    "classType" TEXT,
    "location" TEXT,
    "schoolSourcedId" TEXT,
    "termSourcedIds" TEXT,
    "subjects" TEXT,
    "subjectCodes" TEXT,
    "periods" TEXT,
    metadata TEXT
);
INSERT INTO roster_classes VALUES('cls-0001-0-001','active','2026-12-01T10:28:33.633Z','Homeroom 0-A','KG,01,02,03,04,05','crs-0001-0','P0-001','homeroom','Room 101','org-0001','ses-2027-s1,ses-2027-s2','Homeroom',NULL,'0',NULL);
INSERT INTO roster_classes VALUES('cls-0001-1-001','active','2026-12-01T10:28:33.633Z','Mathematics 1-A','KG,01,02,03,04,05','crs-0001-1','P1-001','scheduled','Room 201','org-0001','ses-2027-s1,ses-2027-s2','Mathematics',NULL,'1',NULL);
INSERT INTO roster_classes VALUES('cls-0001-2-001','active','2026-12-01T10:28:33.633Z','English Language Arts 2-A','KG,01,02,03,04,05','crs-0001-2','P2-001','scheduled','Room 301','org-0001','ses-2027-s1,ses-2027-s2','English Language Arts',NULL,'2',NULL);
INSERT INTO roster_classes VALUES('cls-0001-3-001','active','2026-12-01T10:28:33.633Z','Science 3-A','KG,01,02,03,04,05','crs-0001-3','P3-001','scheduled','Room 401','org-0001','ses-2027-s1,ses-2027-s2','Science',NULL,'3',NULL);
INSERT INTO roster_classes VALUES('cls-0001-4-001','active','2026-12-01T10:28:33.633Z','Social Studies 4-A','KG,01,02,03,04,05','crs-0001-4','P4-001','scheduled','Room 501','org-0001','ses-2027-s1,ses-2027-s2','Social Studies',NULL,'4',NULL);
INSERT INTO roster_classes VALUES('cls-0001-5-001','active','2026-12-01T10:28:33.633Z','Physical Education 5-A','KG,01,02,03,04,05','crs-0001-5','P5-001','scheduled','Room 601','org-0001','ses-2027-s1,ses-2027-s2','Physical Education',NULL,'5',NULL);
INSERT INTO roster_classes VALUES('cls-0002-0-001','active','2026-12-01T10:28:33.633Z','Homeroom 0-A','06,07,08','crs-0002-0','P0-001','homeroom','Room 101','org-0002','ses-2027-s1,ses-2027-s2','Homeroom',NULL,'0',NULL);
INSERT INTO roster_classes VALUES('cls-0002-1-001','active','2026-12-01T10:28:33.633Z','Mathematics 1-A','06,07,08','crs-0002-1','P1-001','scheduled','Room 201','org-0002','ses-2027-s1,ses-2027-s2','Mathematics',NULL,'1',NULL);
INSERT INTO roster_classes VALUES('cls-0002-2-001','active','2026-12-01T10:28:33.633Z','English Language Arts 2-A','06,07,08','crs-0002-2','P2-001','scheduled','Room 301','org-0002','ses-2027-s1,ses-2027-s2','English Language Arts',NULL,'2',NULL);
INSERT INTO roster_classes VALUES('cls-0002-3-001','active','2026-12-01T10:28:33.633Z','Science 3-A','06,07,08','crs-0002-3','P3-001','scheduled','Room 401','org-0002','ses-2027-s1,ses-2027-s2','Science',NULL,'3',NULL);
INSERT INTO roster_classes VALUES('cls-0002-4-001','active','2026-12-01T10:28:33.633Z','Social Studies 4-A','06,07,08','crs-0002-4','P4-001','scheduled','Room 501','org-0002','ses-2027-s1,ses-2027-s2','Social Studies',NULL,'4',NULL);
INSERT INTO roster_classes VALUES('cls-0002-5-001','active','2026-12-01T10:28:33.633Z','Physical Education 5-A','06,07,08','crs-0002-5','P5-001','scheduled','Room 601','org-0002','ses-2027-s1,ses-2027-s2','Physical Education',NULL,'5',NULL);
CREATE TABLE roster_users (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "enabledUser" TEXT,
    "username" TEXT,
    "userIds" TEXT,
    "givenName" TEXT,
    "familyName" TEXT,
    "middleName" TEXT,
    "identifier" TEXT,
    "email" TEXT,
    "sms" TEXT,
    "phone" TEXT,
    "agentSourcedIds" TEXT,
    "grades" TEXT,
    "password" TEXT,
    "userMasterIdentifier" TEXT,
    "preferredGivenName" TEXT,
    "preferredMiddleName" TEXT,
    "preferredFamilyName" TEXT,
    "primaryOrgSourcedId" TEXT,
    "pronouns" TEXT,
    metadata TEXT
);
INSERT INTO roster_users VALUES('usr-000001','active','2026-12-01T10:28:33.633Z','true','theo.acosta1',NULL,'Theo','Acosta','Michael','S0000001','theo.acosta1@students.example.org',NULL,NULL,'usr-g-000001','KG',NULL,'SM0000001',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000002','active','2026-12-01T10:28:33.633Z','true','eleanor.campbell2',NULL,'Eleanor','Campbell',NULL,'S0000002','eleanor.campbell2@students.example.org',NULL,NULL,NULL,'01',NULL,'SM0000002',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000003','active','2026-12-01T10:28:33.633Z','true','nora.henderson3',NULL,'Nora','Henderson',NULL,'S0000003','nora.henderson3@students.example.org',NULL,NULL,NULL,'02',NULL,'SM0000003',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000004','active','2026-12-01T10:28:33.633Z','true','abigail.jones4',NULL,'Abigail','Jones',NULL,'S0000004','abigail.jones4@students.example.org',NULL,NULL,'usr-g-000004','03',NULL,'SM0000004',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000005','active','2026-12-01T10:28:33.633Z','true','alexa.singh5',NULL,'Alexa','Singh',NULL,'S0000005','alexa.singh5@students.example.org',NULL,NULL,NULL,'04',NULL,'SM0000005',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000006','active','2026-12-01T10:28:33.633Z','true','yusuf.martin6',NULL,'Yusuf','Martin',NULL,'S0000006','yusuf.martin6@students.example.org',NULL,NULL,NULL,'05',NULL,'SM0000006',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000007','active','2026-12-01T10:28:33.633Z','true','benjamin.howard7',NULL,'Benjamin','Howard',NULL,'S0000007','benjamin.howard7@students.example.org',NULL,NULL,NULL,'KG',NULL,'SM0000007',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000008','active','2026-12-01T10:28:33.633Z','true','michael.garcia8',NULL,'Michael','García',NULL,'S0000008','michael.garcia8@students.example.org',NULL,NULL,'usr-g-000008','01',NULL,'SM0000008',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000009','active','2026-12-01T10:28:33.633Z','true','javier.griffin9',NULL,'Javier','Griffin',NULL,'S0000009','javier.griffin9@students.example.org',NULL,NULL,NULL,'02',NULL,'SM0000009',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000010','active','2026-12-01T10:28:33.633Z','true','marcus.moore10',NULL,'Marcus','Moore','Keisha','S0000010','marcus.moore10@students.example.org',NULL,NULL,NULL,'03',NULL,'SM0000010',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000011','active','2026-12-01T10:28:33.633Z','true','julia.kim11',NULL,'Julia','Kim',NULL,'S0000011','julia.kim11@students.example.org',NULL,NULL,'usr-g-000011','04',NULL,'SM0000011',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000012','active','2026-12-01T10:28:33.633Z','true','elena.smith12',NULL,'Elena','Smith',NULL,'S0000012','elena.smith12@students.example.org',NULL,NULL,NULL,'05',NULL,'SM0000012',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000013','active','2026-12-01T10:28:33.633Z','true','eli.thomas13',NULL,'Eli','Thomas','Angela','S0000013','eli.thomas13@students.example.org',NULL,NULL,NULL,'KG',NULL,'SM0000013',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000014','active','2026-12-01T10:28:33.633Z','true','angela.reyes14',NULL,'Angela','Reyes','James','S0000014','angela.reyes14@students.example.org',NULL,NULL,'usr-g-000014','01',NULL,'SM0000014',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000015','active','2026-12-01T10:28:33.633Z','true','victoria.miller15',NULL,'Victoria','Miller','Hugo','S0000015','victoria.miller15@students.example.org',NULL,NULL,NULL,'02',NULL,'SM0000015',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000016','active','2026-12-01T10:28:33.633Z','true','javier.rogers16',NULL,'Javier','Rogers',NULL,'S0000016','javier.rogers16@students.example.org',NULL,NULL,NULL,'06',NULL,'SM0000016',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000017','active','2026-12-01T10:28:33.633Z','true','claire.king17',NULL,'Claire','King',NULL,'S0000017','claire.king17@students.example.org',NULL,NULL,NULL,'07',NULL,'SM0000017',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000018','active','2026-12-01T10:28:33.633Z','true','mohamed.turner18',NULL,'Mohamed','Turner','David','S0000018','mohamed.turner18@students.example.org',NULL,NULL,'usr-g-000018','08',NULL,'SM0000018',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000019','active','2026-12-01T10:28:33.633Z','true','alice.perry19',NULL,'Alice','Perry',NULL,'S0000019','alice.perry19@students.example.org',NULL,NULL,NULL,'06',NULL,'SM0000019',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000020','active','2026-12-01T10:28:33.633Z','true','ian.nguyen20',NULL,'Ian','Nguyen',NULL,'S0000020','ian.nguyen20@students.example.org',NULL,NULL,NULL,'07',NULL,'SM0000020',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000021','active','2026-12-01T10:28:33.633Z','true','alejandro.cruz21',NULL,'Alejandro','Cruz','Chloe','S0000021','alejandro.cruz21@students.example.org',NULL,NULL,'usr-g-000021','08',NULL,'SM0000021',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000022','active','2026-12-01T10:28:33.633Z','true','brianna.jones22',NULL,'Brianna','Jones',NULL,'S0000022','brianna.jones22@students.example.org',NULL,NULL,NULL,'06',NULL,'SM0000022',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000023','active','2026-12-01T10:28:33.633Z','true','lucas.morgan23',NULL,'Lucas','Morgan','Tariq','S0000023','lucas.morgan23@students.example.org',NULL,NULL,NULL,'07',NULL,'SM0000023',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000024','active','2026-12-01T10:28:33.633Z','true','william.roberts24',NULL,'William','Roberts',NULL,'S0000024','william.roberts24@students.example.org',NULL,NULL,'usr-g-000024','08',NULL,'SM0000024',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000025','active','2026-12-01T10:28:33.633Z','true','jose.roberts25',NULL,'José','Roberts',NULL,'S0000025','jose.roberts25@students.example.org',NULL,NULL,NULL,'06',NULL,'SM0000025',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000026','active','2026-12-01T10:28:33.633Z','true','yusuf.green26',NULL,'Yusuf','Green',NULL,'S0000026','yusuf.green26@students.example.org',NULL,NULL,NULL,'07',NULL,'SM0000026',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000027','active','2026-12-01T10:28:33.633Z','true','jose.white27',NULL,'José','White',NULL,'S0000027','jose.white27@students.example.org',NULL,NULL,NULL,'08',NULL,'SM0000027',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000028','active','2026-12-01T10:28:33.633Z','true','xavier.coleman28',NULL,'Xavier','Coleman',NULL,'S0000028','xavier.coleman28@students.example.org',NULL,NULL,'usr-g-000028','06',NULL,'SM0000028',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000029','active','2026-12-01T10:28:33.633Z','true','emily.watson29',NULL,'Emily','Watson',NULL,'S0000029','emily.watson29@students.example.org',NULL,NULL,NULL,'07',NULL,'SM0000029',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-000030','active','2026-12-01T10:28:33.633Z','true','ava.scott30',NULL,'Ava','Scott','Gabriel','S0000030','ava.scott30@students.example.org',NULL,NULL,NULL,'08',NULL,'SM0000030',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-t-00001','active','2026-12-01T10:28:33.633Z','true','ruby.rogers1',NULL,'Ruby','Rogers','Claire','T00001','ruby.rogers1@example.org',NULL,NULL,NULL,NULL,NULL,'TM00001',NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-t-00002','active','2026-12-01T10:28:33.633Z','true','james.hayes2',NULL,'James','Hayes','William','T00002','james.hayes2@example.org',NULL,NULL,NULL,NULL,NULL,'TM00002',NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000001','active','2026-12-01T10:28:33.633Z','true','deja.acosta1',NULL,'Deja','Acosta',NULL,NULL,'deja.acosta1@example.org',NULL,'555-0100-0000','usr-000001',NULL,NULL,NULL,NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000004','active','2026-12-01T10:28:33.633Z','true','camila.jones4',NULL,'Camila','Jones',NULL,NULL,'camila.jones4@example.org',NULL,'555-0103-0003','usr-000004',NULL,NULL,NULL,NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000008','active','2026-12-01T10:28:33.633Z','true','aubrey.garcia8',NULL,'Aubrey','García',NULL,NULL,'aubrey.garcia8@example.org',NULL,'555-0107-0007','usr-000008',NULL,NULL,NULL,NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000011','active','2026-12-01T10:28:33.633Z','true','gabriela.kim11',NULL,'Gabriela','Kim',NULL,NULL,'gabriela.kim11@example.org',NULL,'555-0110-0010','usr-000011',NULL,NULL,NULL,NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000014','active','2026-12-01T10:28:33.633Z','true','joseph.reyes14',NULL,'Joseph','Reyes',NULL,NULL,'joseph.reyes14@example.org',NULL,'555-0113-0013','usr-000014',NULL,NULL,NULL,NULL,NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000018','active','2026-12-01T10:28:33.633Z','true','alejandro.turner18',NULL,'Alejandro','Turner',NULL,NULL,'alejandro.turner18@example.org',NULL,'555-0117-0017','usr-000018',NULL,NULL,NULL,NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000021','active','2026-12-01T10:28:33.633Z','true','beatriz.cruz21',NULL,'Beatriz','Cruz',NULL,NULL,'beatriz.cruz21@example.org',NULL,'555-0120-0020','usr-000021',NULL,NULL,NULL,NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000024','active','2026-12-01T10:28:33.633Z','true','ava.roberts24',NULL,'Ava','Roberts',NULL,NULL,'ava.roberts24@example.org',NULL,'555-0123-0023','usr-000024',NULL,NULL,NULL,NULL,NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_users VALUES('usr-g-000028','active','2026-12-01T10:28:33.633Z','true','james.coleman28',NULL,'James','Coleman',NULL,NULL,'james.coleman28@example.org',NULL,'555-0127-0027','usr-000028',NULL,NULL,NULL,NULL,NULL,NULL,'org-0002',NULL,NULL);
CREATE TABLE roster_roles (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "userSourcedId" TEXT,
    "roleType" TEXT,
    "role" TEXT,
    "beginDate" TEXT,
    "endDate" TEXT,
    "orgSourcedId" TEXT,
    "userProfileSourcedId" TEXT,
    metadata TEXT
);
INSERT INTO roster_roles VALUES('rol-000001','active','2026-12-01T10:28:33.633Z','usr-000001','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000002','active','2026-12-01T10:28:33.633Z','usr-000002','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000003','active','2026-12-01T10:28:33.633Z','usr-000003','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000004','active','2026-12-01T10:28:33.633Z','usr-000004','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000005','active','2026-12-01T10:28:33.633Z','usr-000005','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000006','active','2026-12-01T10:28:33.633Z','usr-000006','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000007','active','2026-12-01T10:28:33.633Z','usr-000007','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000008','active','2026-12-01T10:28:33.633Z','usr-000008','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000009','active','2026-12-01T10:28:33.633Z','usr-000009','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000010','active','2026-12-01T10:28:33.633Z','usr-000010','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000011','active','2026-12-01T10:28:33.633Z','usr-000011','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000012','active','2026-12-01T10:28:33.633Z','usr-000012','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000013','active','2026-12-01T10:28:33.633Z','usr-000013','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000014','active','2026-12-01T10:28:33.633Z','usr-000014','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000015','active','2026-12-01T10:28:33.633Z','usr-000015','primary','student',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000016','active','2026-12-01T10:28:33.633Z','usr-000016','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000017','active','2026-12-01T10:28:33.633Z','usr-000017','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000018','active','2026-12-01T10:28:33.633Z','usr-000018','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000019','active','2026-12-01T10:28:33.633Z','usr-000019','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000020','active','2026-12-01T10:28:33.633Z','usr-000020','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000021','active','2026-12-01T10:28:33.633Z','usr-000021','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000022','active','2026-12-01T10:28:33.633Z','usr-000022','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000023','active','2026-12-01T10:28:33.633Z','usr-000023','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000024','active','2026-12-01T10:28:33.633Z','usr-000024','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000025','active','2026-12-01T10:28:33.633Z','usr-000025','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000026','active','2026-12-01T10:28:33.633Z','usr-000026','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000027','active','2026-12-01T10:28:33.633Z','usr-000027','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000028','active','2026-12-01T10:28:33.633Z','usr-000028','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000029','active','2026-12-01T10:28:33.633Z','usr-000029','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-000030','active','2026-12-01T10:28:33.633Z','usr-000030','primary','student',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-t-00001','active','2026-12-01T10:28:33.633Z','usr-t-00001','primary','teacher',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-t-00002','active','2026-12-01T10:28:33.633Z','usr-t-00002','primary','teacher',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000001','active','2026-12-01T10:28:33.633Z','usr-g-000001','primary','guardian',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000004','active','2026-12-01T10:28:33.633Z','usr-g-000004','primary','guardian',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000008','active','2026-12-01T10:28:33.633Z','usr-g-000008','primary','guardian',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000011','active','2026-12-01T10:28:33.633Z','usr-g-000011','primary','guardian',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000014','active','2026-12-01T10:28:33.633Z','usr-g-000014','primary','guardian',NULL,NULL,'org-0001',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000018','active','2026-12-01T10:28:33.633Z','usr-g-000018','primary','guardian',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000021','active','2026-12-01T10:28:33.633Z','usr-g-000021','primary','guardian',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000024','active','2026-12-01T10:28:33.633Z','usr-g-000024','primary','guardian',NULL,NULL,'org-0002',NULL,NULL);
INSERT INTO roster_roles VALUES('rol-g-000028','active','2026-12-01T10:28:33.633Z','usr-g-000028','primary','guardian',NULL,NULL,'org-0002',NULL,NULL);
CREATE TABLE roster_demographics (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "birthDate" TEXT,
    "sex" TEXT,
    "americanIndianOrAlaskaNative" TEXT,
    "asian" TEXT,
    "blackOrAfricanAmerican" TEXT,
    "nativeHawaiianOrOtherPacificIslander" TEXT,
    "white" TEXT,
    "demographicRaceTwoOrMoreRaces" TEXT,
    "hispanicOrLatinoEthnicity" TEXT,
    "countryOfBirthCode" TEXT,
    "stateOfBirthAbbreviation" TEXT,
    "cityOfBirth" TEXT,
    "publicSchoolResidenceStatus" TEXT,
    metadata TEXT
);
INSERT INTO roster_demographics VALUES('usr-000001','active','2026-12-01T10:28:33.633Z','2021-10-10','female','false','true','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000002','active','2026-12-01T10:28:33.633Z','2019-01-20','female','false','false','false','false','true','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000003','active','2026-12-01T10:28:33.633Z','2019-11-13','female','false','false','true','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000004','active','2026-12-01T10:28:33.633Z','2017-02-12','female','true','false','false','false','false','false','true',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000005','active','2026-12-01T10:28:33.633Z','2017-11-25','male','false','false','true','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000006','active','2026-12-01T10:28:33.633Z','2015-07-10','male','false','false','true','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000007','active','2026-12-01T10:28:33.633Z','2020-03-08','female','true','false','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000008','active','2026-12-01T10:28:33.633Z','2019-08-12','male','false','false','false','false','true','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000009','active','2026-12-01T10:28:33.633Z','2018-05-01','male','true','false','false','false','false','false','true',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000010','active','2026-12-01T10:28:33.633Z','2017-03-01','female','false','false','false','true','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000011','active','2026-12-01T10:28:33.633Z','2016-07-13','female','false','false','false','true','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000012','active','2026-12-01T10:28:33.633Z','2016-12-02','female','false','false','false','false','true','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000013','active','2026-12-01T10:28:33.633Z','2020-03-14','male','false','true','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000014','active','2026-12-01T10:28:33.633Z','2019-07-28','female','false','false','true','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000015','active','2026-12-01T10:28:33.633Z','2019-10-16','female','true','false','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000016','active','2026-12-01T10:28:33.633Z','2014-05-11','male','false','false','false','false','true','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000017','active','2026-12-01T10:28:33.633Z','2013-06-08','male','false','false','false','false','false','true','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000018','active','2026-12-01T10:28:33.633Z','2021-09-04','female','false','false','true','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000019','active','2026-12-01T10:28:33.633Z','2014-01-15','male','false','true','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000020','active','2026-12-01T10:28:33.633Z','2013-07-13','male','true','false','false','false','false','false','true',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000021','active','2026-12-01T10:28:33.633Z','2020-08-06','female','false','false','false','false','false','true','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000022','active','2026-12-01T10:28:33.633Z','2014-02-04','female','false','false','false','false','true','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000023','active','2026-12-01T10:28:33.633Z','2013-02-05','female','true','false','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000024','active','2026-12-01T10:28:33.633Z','2020-01-16','male','false','false','false','false','false','true','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000025','active','2026-12-01T10:28:33.633Z','2015-12-23','male','false','true','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000026','active','2026-12-01T10:28:33.633Z','2013-02-28','male','true','false','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000027','active','2026-12-01T10:28:33.633Z','2021-12-19','female','false','false','false','true','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000028','active','2026-12-01T10:28:33.633Z','2014-06-25','male','true','false','false','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000029','active','2026-12-01T10:28:33.633Z','2014-09-26','male','false','false','true','false','false','false','false',NULL,NULL,NULL,NULL,NULL);
INSERT INTO roster_demographics VALUES('usr-000030','active','2026-12-01T10:28:33.633Z','2020-02-04','female','false','false','false','true','false','false','true',NULL,NULL,NULL,NULL,NULL);
CREATE TABLE roster_enrollments (
    "sourcedId" TEXT NOT NULL UNIQUE,
    "status" TEXT,
    "dateLastModified" TEXT,
    "classSourcedId" TEXT,
    "schoolSourcedId" TEXT,
    "userSourcedId" TEXT,
    "role" TEXT,
    "primary" TEXT,
    "beginDate" TEXT,
    "endDate" TEXT,
    metadata TEXT
);
INSERT INTO roster_enrollments VALUES('enr-t-0001-0-001','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-t-00001','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000001-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000001','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000001-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000001','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000001-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000001','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000001-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000001','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000001-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000001','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000001-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000001','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000002-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000002','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000002-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000002','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000002-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000002','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000002-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000002','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000002-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000002','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000002-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000002','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000003-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000003','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000003-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000003','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000003-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000003','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000003-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000003','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000003-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000003','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000003-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000003','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000004-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000004','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000004-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000004','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000004-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000004','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000004-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000004','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000004-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000004','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000004-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000004','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000005-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000005','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000005-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000005','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000005-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000005','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000005-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000005','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000005-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000005','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000005-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000005','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000006-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000006','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000006-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000006','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000006-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000006','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000006-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000006','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000006-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000006','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000006-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000006','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000007-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000007','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000007-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000007','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000007-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000007','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000007-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000007','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000007-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000007','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000007-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000007','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000008-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000008','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000008-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000008','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000008-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000008','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000008-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000008','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000008-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000008','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000008-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000008','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000009-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000009','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000009-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000009','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000009-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000009','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000009-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000009','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000009-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000009','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000009-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000009','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000010-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000010','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000010-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000010','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000010-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000010','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000010-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000010','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000010-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000010','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000010-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000010','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000011-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000011','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000011-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000011','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000011-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000011','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000011-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000011','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000011-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000011','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000011-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000011','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000012-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000012','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000012-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000012','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000012-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000012','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000012-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000012','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000012-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000012','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000012-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000012','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000013-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000013','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000013-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000013','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000013-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000013','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000013-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000013','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000013-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000013','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000013-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000013','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000014-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000014','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000014-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000014','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000014-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000014','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000014-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000014','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000014-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000014','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000014-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000014','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000015-0','active','2026-12-01T10:28:33.633Z','cls-0001-0-001','org-0001','usr-000015','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000015-1','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-000015','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000015-2','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-000015','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000015-3','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-000015','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000015-4','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-000015','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000015-5','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-000015','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000016-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000016','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000016-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000016','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000016-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000016','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000016-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000016','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000016-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000016','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000016-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000016','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000017-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000017','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000017-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000017','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000017-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000017','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000017-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000017','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000017-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000017','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000017-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000017','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000018-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000018','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000018-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000018','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000018-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000018','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000018-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000018','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000018-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000018','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000018-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000018','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000019-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000019','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000019-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000019','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000019-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000019','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000019-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000019','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000019-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000019','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000019-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000019','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000020-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000020','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000020-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000020','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000020-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000020','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000020-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000020','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000020-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000020','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000020-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000020','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000021-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000021','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000021-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000021','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000021-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000021','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000021-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000021','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000021-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000021','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000021-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000021','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000022-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000022','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000022-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000022','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000022-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000022','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000022-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000022','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000022-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000022','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000022-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000022','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000023-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000023','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000023-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000023','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000023-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000023','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000023-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000023','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000023-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000023','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000023-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000023','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000024-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000024','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000024-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000024','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000024-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000024','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000024-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000024','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000024-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000024','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000024-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000024','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000025-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000025','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000025-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000025','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000025-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000025','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000025-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000025','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000025-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000025','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000025-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000025','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000026-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000026','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000026-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000026','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000026-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000026','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000026-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000026','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000026-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000026','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000026-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000026','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000027-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000027','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000027-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000027','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000027-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000027','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000027-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000027','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000027-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000027','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000027-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000027','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000028-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000028','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000028-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000028','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000028-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000028','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000028-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000028','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000028-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000028','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000028-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000028','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000029-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000029','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000029-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000029','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000029-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000029','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000029-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000029','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000029-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000029','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000029-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000029','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000030-0','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-000030','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000030-1','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-000030','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000030-2','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-000030','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000030-3','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-000030','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000030-4','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-000030','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-000030-5','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-000030','student','false','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0001-1-001','active','2026-12-01T10:28:33.633Z','cls-0001-1-001','org-0001','usr-t-00001','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0001-2-001','active','2026-12-01T10:28:33.633Z','cls-0001-2-001','org-0001','usr-t-00001','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0001-3-001','active','2026-12-01T10:28:33.633Z','cls-0001-3-001','org-0001','usr-t-00001','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0001-4-001','active','2026-12-01T10:28:33.633Z','cls-0001-4-001','org-0001','usr-t-00001','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0001-5-001','active','2026-12-01T10:28:33.633Z','cls-0001-5-001','org-0001','usr-t-00001','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0002-0-001','active','2026-12-01T10:28:33.633Z','cls-0002-0-001','org-0002','usr-t-00002','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0002-1-001','active','2026-12-01T10:28:33.633Z','cls-0002-1-001','org-0002','usr-t-00002','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0002-2-001','active','2026-12-01T10:28:33.633Z','cls-0002-2-001','org-0002','usr-t-00002','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0002-3-001','active','2026-12-01T10:28:33.633Z','cls-0002-3-001','org-0002','usr-t-00002','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0002-4-001','active','2026-12-01T10:28:33.633Z','cls-0002-4-001','org-0002','usr-t-00002','teacher','true','2026-08-17','2027-06-11',NULL);
INSERT INTO roster_enrollments VALUES('enr-t-0002-5-001','active','2026-12-01T10:28:33.633Z','cls-0002-5-001','org-0002','usr-t-00002','teacher','true','2026-08-17','2027-06-11',NULL);
CREATE TABLE selections (
    connection_id       INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    orgs_all            INTEGER NOT NULL,
    classes_all         INTEGER NOT NULL,
    statuses            TEXT NOT NULL, -- comma-separated: active,inactive,deleted,blank
    without_enrollments INTEGER NOT NULL,
    hold_delete         REAL NOT NULL,
    hold_change         REAL NOT NULL
);
CREATE TABLE selection_ids (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL CHECK (entity IN ('orgs', 'classes')),
    sourced_id    TEXT NOT NULL,
    PRIMARY KEY (connection_id, entity, sourced_id)
) WITHOUT ROWID;
CREATE TABLE sent (
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    entity        TEXT NOT NULL,
    sourced_id    TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    vals          TEXT NOT NULL,
    created_run   INTEGER NOT NULL, -- the export that first sent it (creates are counted, not logged)
    PRIMARY KEY (connection_id, entity, sourced_id)
) WITHOUT ROWID;
CREATE INDEX runs_connection ON runs (connection_id, id);
CREATE INDEX run_records_run ON run_records (run_id);
COMMIT;
