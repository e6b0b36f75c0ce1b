/**
 * What `ctt start` keeps besides responses: the audit trail of every change (`change_event`),
 * the `~/.claude.json` high-water marks (reliability §2.7: never pruned), Claude Code's own
 * `cost-state` totals read from transcripts, the sessions seen start and end, and hook events.
 * Usage metadata only: no prompt or response text anywhere.
 */
export const migration0004 = {
  version: 4,
  name: 'tracker',
  sql: `
CREATE TABLE change_event (
  id INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  project TEXT,
  session_id TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  lines_added INTEGER NOT NULL DEFAULT 0,
  lines_removed INTEGER NOT NULL DEFAULT 0,
  web_search_requests INTEGER NOT NULL DEFAULT 0,
  detail TEXT
);
CREATE INDEX change_event_time ON change_event (time_ms);
CREATE INDEX change_event_session ON change_event (session_id);

CREATE TABLE claude_json_mark (
  project TEXT NOT NULL,
  session_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (project, session_id, key)
) WITHOUT ROWID;

CREATE TABLE claude_json_epoch (
  project TEXT NOT NULL,
  session_id TEXT NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 0,
  first_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (project, session_id)
) WITHOUT ROWID;

CREATE TABLE cost_state (
  file_id INTEGER NOT NULL REFERENCES source_file (id),
  generation INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  session_id TEXT,
  total_cost_usd REAL,
  lines_added INTEGER,
  lines_removed INTEGER,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cache_creation_tokens INTEGER,
  cache_read_tokens INTEGER,
  web_search_requests INTEGER,
  ingest_ms INTEGER NOT NULL,
  UNIQUE (file_id, generation, byte_offset)
);
CREATE INDEX cost_state_session ON cost_state (session_id);

CREATE TABLE tracked_session (
  session_id TEXT PRIMARY KEY,
  project TEXT,
  started_ms INTEGER NOT NULL,
  start_source TEXT NOT NULL,
  pid INTEGER,
  last_activity_ms INTEGER,
  ended_ms INTEGER,
  end_reason TEXT,
  runs INTEGER NOT NULL DEFAULT 1,
  end_totals TEXT
);
CREATE INDEX tracked_session_open ON tracked_session (ended_ms);

CREATE TABLE hook_event (
  id INTEGER PRIMARY KEY,
  received_ms INTEGER NOT NULL,
  event TEXT NOT NULL,
  session_id TEXT,
  cwd TEXT,
  transcript_path TEXT,
  detail TEXT,
  processed_ms INTEGER
);
CREATE INDEX hook_event_pending ON hook_event (processed_ms);
`,
};
