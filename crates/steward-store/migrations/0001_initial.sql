-- steward state, schema version 1.
-- Times are RFC 3339 UTC text; JSON columns hold masked or aggregated data only.

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    command      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL DEFAULT 'running',
    summary_json TEXT
);

CREATE TABLE datasets (
    id            TEXT PRIMARY KEY,
    system        TEXT,
    location      TEXT NOT NULL,
    format        TEXT NOT NULL,
    country       TEXT,
    region        TEXT,
    registered_at TEXT NOT NULL
);

-- The data inventory: which categories of whose data live where.
CREATE TABLE inventory (
    dataset_id    TEXT NOT NULL,
    location      TEXT NOT NULL,
    category      TEXT NOT NULL,
    detector      TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL DEFAULT '',
    value_count   INTEGER NOT NULL,
    row_count     INTEGER,
    match_ratio   REAL,
    scanned_at    TEXT NOT NULL,
    PRIMARY KEY (dataset_id, location, category, detector, jurisdiction)
);

-- Files already scanned, so a re-scan skips unchanged ones.
CREATE TABLE scanned_files (
    path         TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    mtime_ns     INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    scanned_at   TEXT NOT NULL
);

CREATE TABLE incidents (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    principal    TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    awareness_at TEXT,
    status       TEXT NOT NULL DEFAULT 'open',
    created_at   TEXT NOT NULL
);

-- Alert ids are deterministic, so re-running a hunt inserts nothing twice.
CREATE TABLE alerts (
    id            TEXT PRIMARY KEY,
    rule_id       TEXT NOT NULL,
    severity      TEXT NOT NULL,
    principal     TEXT NOT NULL,
    window_start  TEXT NOT NULL,
    window_end    TEXT NOT NULL,
    incident_id   TEXT REFERENCES incidents(id),
    evidence_json TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX alerts_incident ON alerts(incident_id);
CREATE INDEX alerts_rule ON alerts(rule_id, window_start);

CREATE TABLE impact_results (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT,
    selector     TEXT NOT NULL,
    computed_at  TEXT NOT NULL,
    summary_json TEXT NOT NULL
);

-- Stream checkpoints: input position and detector state of `watch`.
CREATE TABLE checkpoints (
    name       TEXT PRIMARY KEY,
    position   TEXT NOT NULL,
    state      BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
