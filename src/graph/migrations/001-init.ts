// Migration 001: the run ledger, the graph (nodes, edges), change history and the page cache.
// Append-only: never edit a released migration, add the next numbered file instead.
export const id = 1;
export const name = 'init';
export const sql = `
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed','interrupted')),
  mode          TEXT NOT NULL DEFAULT 'full' CHECK (mode IN ('full','incremental')),
  providers     TEXT NOT NULL DEFAULT '[]',
  pid           INTEGER,
  host          TEXT,
  tool_version  TEXT,
  summary       TEXT
);

CREATE TABLE run_resources (
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  provider      TEXT NOT NULL,
  tenant        TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed','unsupported')),
  listings      INTEGER NOT NULL DEFAULT 0,
  listings_failed INTEGER NOT NULL DEFAULT 0,
  objects       INTEGER NOT NULL DEFAULT 0,
  api_calls     INTEGER NOT NULL DEFAULT 0,
  not_modified  INTEGER NOT NULL DEFAULT 0,
  retries       INTEGER NOT NULL DEFAULT 0,
  removed       INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  duration_ms   INTEGER,
  PRIMARY KEY (run_id, provider, tenant, resource_type)
);

CREATE TABLE nodes (
  id             TEXT PRIMARY KEY,
  provider       TEXT NOT NULL,
  kind           TEXT NOT NULL,
  type           TEXT NOT NULL,
  name           TEXT,
  tenant         TEXT,
  props          TEXT NOT NULL DEFAULT '{}',
  source         TEXT,
  parent_id      TEXT,
  first_seen_run INTEGER NOT NULL,
  last_seen_run  INTEGER NOT NULL,
  first_seen_at  TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  removed_run    INTEGER,
  removed_at     TEXT
);
CREATE INDEX nodes_kind ON nodes(kind, provider);
CREATE INDEX nodes_source ON nodes(source, last_seen_run);
CREATE INDEX nodes_parent ON nodes(parent_id);

CREATE TABLE edges (
  id             TEXT PRIMARY KEY,
  type           TEXT NOT NULL,
  src            TEXT NOT NULL,
  dst            TEXT NOT NULL,
  provider       TEXT NOT NULL,
  props          TEXT NOT NULL DEFAULT '{}',
  source         TEXT,
  parent_id      TEXT,
  first_seen_run INTEGER NOT NULL,
  last_seen_run  INTEGER NOT NULL,
  first_seen_at  TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  removed_run    INTEGER,
  removed_at     TEXT
);
CREATE INDEX edges_src ON edges(src, type);
CREATE INDEX edges_dst ON edges(dst, type);
CREATE INDEX edges_source ON edges(source, last_seen_run);
CREATE INDEX edges_parent ON edges(parent_id);

CREATE TABLE change_log (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL,
  at         TEXT NOT NULL,
  entity     TEXT NOT NULL CHECK (entity IN ('node','edge')),
  entity_id  TEXT NOT NULL,
  change     TEXT NOT NULL CHECK (change IN ('added','removed','modified')),
  provider   TEXT NOT NULL,
  kind       TEXT NOT NULL,
  before     TEXT,
  after      TEXT
);
CREATE INDEX change_log_run ON change_log(run_id);
CREATE INDEX change_log_entity ON change_log(entity_id);

-- Conditional-request cache: one row per page URL. Bodies are never stored (they may hold
-- secrets); a 304 replays what the page emitted last time from 'emitted'.
CREATE TABLE http_cache (
  key         TEXT PRIMARY KEY,
  provider    TEXT NOT NULL,
  etag        TEXT NOT NULL,
  next        TEXT,
  emitted     TEXT NOT NULL,
  fetched_at  TEXT NOT NULL,
  run_id      INTEGER NOT NULL
);

-- Per-listing state a provider keeps between runs (delta links, watermarks).
CREATE TABLE crawl_state (
  provider TEXT NOT NULL,
  tenant   TEXT NOT NULL,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  run_id   INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (provider, tenant, key)
);
`;
