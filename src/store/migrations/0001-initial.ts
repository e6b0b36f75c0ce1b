/** The first ledger schema. Never edit a released migration: add the next one. */
export const migration0001 = {
  version: 1,
  name: 'initial ledger',
  sql: `
CREATE TABLE source_file (
  id INTEGER PRIMARY KEY,
  dev TEXT NOT NULL,
  ino TEXT NOT NULL,
  head_hash TEXT NOT NULL,
  path TEXT NOT NULL,
  root TEXT NOT NULL,
  project_dir TEXT,
  generation INTEGER NOT NULL DEFAULT 0,
  byte_offset INTEGER NOT NULL DEFAULT 0,
  anchor_hash TEXT,
  size_seen INTEGER NOT NULL DEFAULT 0,
  mtime_ns TEXT,
  ctime_ns TEXT,
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'gone', 'replaced')),
  gone_at_ms INTEGER,
  unread_bytes INTEGER,
  lines INTEGER NOT NULL DEFAULT 0,
  usage_lines INTEGER NOT NULL DEFAULT 0,
  quarantined_lines INTEGER NOT NULL DEFAULT 0,
  first_seen_ms INTEGER NOT NULL,
  last_ingest_ms INTEGER,
  UNIQUE (dev, ino, head_hash)
);
CREATE INDEX source_file_state ON source_file (state);

CREATE TABLE response (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  weak_key INTEGER NOT NULL DEFAULT 0,
  ts_ms INTEGER,
  session_id TEXT,
  cwd TEXT,
  project_dir TEXT,
  orig_sidechain INTEGER NOT NULL,
  orig_forked INTEGER NOT NULL,
  model TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_creation_1h_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  web_search_requests INTEGER NOT NULL,
  web_fetch_requests INTEGER NOT NULL,
  speed TEXT,
  inference_geo TEXT,
  service_tier TEXT,
  version TEXT,
  is_sidechain INTEGER NOT NULL,
  agent_id TEXT,
  cost_usd_logged REAL,
  cost_usd REAL,
  cost_tier TEXT,
  price_version TEXT,
  first_ingest_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  UNIQUE (message_id, request_id)
);
CREATE INDEX response_ts ON response (ts_ms);
CREATE INDEX response_session ON response (session_id);
CREATE INDEX response_unpriced ON response (model) WHERE cost_usd IS NULL;

CREATE TABLE response_copy (
  file_id INTEGER NOT NULL REFERENCES source_file (id),
  generation INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  response_id INTEGER NOT NULL REFERENCES response (id),
  PRIMARY KEY (file_id, generation, byte_offset)
) WITHOUT ROWID;
CREATE INDEX response_copy_response ON response_copy (response_id);

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES source_file (id),
  generation INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  line_bytes INTEGER NOT NULL,
  reason TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  recovered_records INTEGER NOT NULL,
  ingest_ms INTEGER NOT NULL,
  UNIQUE (file_id, generation, byte_offset)
);

CREATE TABLE ingest_event (
  id INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  file_id INTEGER REFERENCES source_file (id),
  detail TEXT
);
CREATE INDEX ingest_event_kind ON ingest_event (kind);

CREATE TABLE sync_run (
  id INTEGER PRIMARY KEY,
  started_ms INTEGER NOT NULL,
  finished_ms INTEGER,
  summary TEXT
);

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
} as const;
