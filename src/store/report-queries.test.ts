import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from './database.js';
import {
  blockGroupsSql,
  groupSql,
  periodSql,
  sessionEdgeSql,
  sessionSpanSql,
  sessionSql,
  type CostMode,
  type ReportFilter,
} from './report-queries.js';

interface PlanRow {
  readonly id: number;
  readonly parent: number;
  readonly detail: string;
}

const NO_FILTER: ReportFilter = { fromMs: null, toMsExclusive: null, costMode: 'auto' };
const FILTERS: [string, ReportFilter][] = [
  ['no filter', NO_FILTER],
  ['a since bound', { ...NO_FILTER, fromMs: Date.UTC(2026, 10, 1) }],
  ['an until bound', { ...NO_FILTER, toMsExclusive: Date.UTC(2026, 11, 1) }],
  ['a project filter', { ...NO_FILTER, project: 'webapp' }],
  ['a model filter', { ...NO_FILTER, model: 'sonnet' }],
  [
    'every filter',
    {
      fromMs: Date.UTC(2026, 10, 1),
      toMsExclusive: Date.UTC(2026, 11, 1),
      project: 'webapp',
      model: 'sonnet',
      costMode: 'calculate',
    },
  ],
];
const MODES: CostMode[] = ['auto', 'calculate', 'display'];

interface Builder {
  readonly name: string;
  readonly table: 'response' | 'usage_rollup';
  /** The index the plan must name (`PRIMARY KEY`: the rollup's own clustered key). */
  readonly index: string;
  /** Rollup groupings read the primary key's quarter range when the filter has a time range. */
  readonly rangeUsesPrimaryKey?: boolean;
  readonly build: (filter: ReportFilter) => { sql: string; params: (string | number)[] };
}

const BUILDERS: Builder[] = [
  {
    name: 'periodSql',
    table: 'usage_rollup',
    index: 'PRIMARY KEY',
    build: (f) => periodSql(f, false),
  },
  {
    name: 'periodSql byProject',
    table: 'usage_rollup',
    index: 'PRIMARY KEY',
    build: (f) => periodSql(f, true),
  },
  {
    name: 'sessionSql',
    table: 'usage_rollup',
    rangeUsesPrimaryKey: true,
    index: 'usage_rollup_session',
    build: (f) => sessionSql(f),
  },
  {
    name: 'sessionSpanSql',
    table: 'response',
    index: 'response_session_ts',
    build: (f) => sessionSpanSql(f),
  },
  {
    name: 'sessionEdgeSql min',
    table: 'response',
    index: 'response_session_ts',
    build: (f) => {
      const edge = sessionEdgeSql(f, 'min');
      return { sql: edge.sql, params: ['session-1', ...edge.params] };
    },
  },
  {
    name: 'sessionEdgeSql max',
    table: 'response',
    index: 'response_session_ts',
    build: (f) => {
      const edge = sessionEdgeSql(f, 'max');
      return { sql: edge.sql, params: ['session-1', ...edge.params] };
    },
  },
  {
    name: 'groupSql cwd',
    table: 'usage_rollup',
    rangeUsesPrimaryKey: true,
    index: 'usage_rollup_cwd',
    build: (f) => groupSql(f, 'cwd'),
  },
  {
    name: 'groupSql model',
    table: 'usage_rollup',
    rangeUsesPrimaryKey: true,
    index: 'usage_rollup_model',
    build: (f) => groupSql(f, 'model'),
  },
  {
    name: 'blockGroupsSql',
    table: 'response',
    index: 'response_ts',
    build: (f) => blockGroupsSql(f),
  },
];

let db: Ledger;

beforeAll(() => {
  db = openLedger(':memory:');
});

afterAll(() => db.close());

function plan(sql: string, params: readonly (string | number)[]): PlanRow[] {
  return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as PlanRow[];
}

describe('report query plans', () => {
  const cases = BUILDERS.flatMap((builder) =>
    FILTERS.map(([label, filter]) => ({ builder, label, filter })),
  );

  it.each(cases)(
    '$builder.name with $label reads $builder.table through $builder.index, never a bare scan',
    ({ builder, filter }) => {
      const { sql, params } = builder.build(filter);
      const rows = plan(sql, params);
      const shown = JSON.stringify(rows.map((row) => row.detail));
      const reads = rows.filter((row) => /^(SCAN|SEARCH) \w+/.test(row.detail));
      expect(reads.length, shown).toBeGreaterThan(0);
      for (const row of reads) {
        expect(row.detail, shown).toMatch(
          new RegExp(`^(SCAN|SEARCH) ${builder.table} USING (COVERING INDEX |INDEX |PRIMARY KEY)`),
        );
        const timed = filter.fromMs !== null || filter.toMsExclusive !== null;
        expect(row.detail, shown).toContain(
          builder.rangeUsesPrimaryKey === true && timed ? 'PRIMARY KEY (quarter' : builder.index,
        );
      }
      // A table read without an index: `SCAN response` (or any table) with nothing after it.
      expect(
        rows.some((row) => /^SCAN \w+$/.test(row.detail.trim())),
        shown,
      ).toBe(false);
      expect(
        rows.some((row) => /^SCAN response\b(?!.* USING )/.test(row.detail)),
        shown,
      ).toBe(false);
    },
  );

  it.each(MODES)('every builder runs in %s mode with its parameters', (costMode) => {
    for (const builder of BUILDERS) {
      for (const [, filter] of FILTERS) {
        const { sql, params } = builder.build({ ...filter, costMode });
        expect(() => db.prepare(sql).all(...params), builder.name).not.toThrow();
      }
    }
  });

  it('time bounds search a range of the time key instead of reading it all', () => {
    const bounded = { ...NO_FILTER, fromMs: 900_000, toMsExclusive: 2 * 900_000 };
    const period = plan(periodSql(bounded, false).sql, periodSql(bounded, false).params);
    expect(period.map((row) => row.detail).join('\n')).toMatch(
      /SEARCH usage_rollup USING PRIMARY KEY \(quarter>\? AND quarter<\?\)/,
    );
    const entries = plan(blockGroupsSql(bounded).sql, blockGroupsSql(bounded).params);
    expect(entries.map((row) => row.detail).join('\n')).toMatch(
      /SEARCH response USING INDEX response_ts \(ts_ms>\? AND ts_ms<\?\)/,
    );
  });
});
