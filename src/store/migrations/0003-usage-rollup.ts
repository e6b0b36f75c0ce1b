/**
 * Quarter-hour rollups that reports read (see store/usage-rollup.ts), backfilled from `response`.
 * Reports group the rollup now, so the per-response project and model indexes of 0002 go: they
 * only slowed every insert.
 */
import { ROLLUP_FROM_RESPONSES } from '../usage-rollup.js';

export const migration0003 = {
  version: 3,
  name: 'usage rollup',
  sql: `
CREATE TABLE usage_rollup (
  quarter INTEGER NOT NULL,
  model TEXT NOT NULL,
  session_id TEXT NOT NULL,
  cwd TEXT NOT NULL,
  project_dir TEXT NOT NULL,
  responses INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_creation_1h_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  web_search_requests INTEGER NOT NULL,
  cost_calc REAL NOT NULL,
  calc_unpriced_responses INTEGER NOT NULL,
  calc_unpriced_tokens INTEGER NOT NULL,
  cost_auto REAL NOT NULL,
  auto_unpriced_responses INTEGER NOT NULL,
  auto_unpriced_tokens INTEGER NOT NULL,
  cost_display REAL NOT NULL,
  PRIMARY KEY (quarter, model, session_id, cwd, project_dir)
) WITHOUT ROWID;
CREATE INDEX usage_rollup_session ON usage_rollup (session_id);
CREATE INDEX usage_rollup_cwd ON usage_rollup (cwd);
CREATE INDEX usage_rollup_model ON usage_rollup (model);
INSERT INTO usage_rollup ${ROLLUP_FROM_RESPONSES};
CREATE INDEX response_session_ts ON response (session_id, ts_ms);
DROP INDEX response_session;
DROP INDEX response_cwd;
DROP INDEX response_model;
`,
} as const;
