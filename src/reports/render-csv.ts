/**
 * Reports as CSV (RFC 4180): one header row whose column names are the JSON row fields of
 * render-json.ts, then one line per row. Choices:
 * - lines end in LF (`\n`), the last one too; fields holding `,` `"` CR or LF are quoted, with
 *   quotes doubled; numbers use `.` and are never rounded (nor written with an exponent);
 *   `null` is an empty field; booleans are `true`/`false`;
 * - list fields (`modelsUsed`, a block's `models`) are joined with `;`;
 * - there is no totals row (a CSV is a table of like rows; sum the columns, or use `--json`);
 * - `breakdown: true` adds a `model` column after the key columns: each row keeps it empty and is
 *   followed by one row per model (same keys, `model` set, that model's usage; its cost in
 *   `totalCost`), so summing only rows with an empty `model` gives the totals;
 * - `daily --instances` is flat: a `projectPath` column before `date`;
 * - blocks are flat: `tokenCounts` fields as their own columns, `burnRate` and `projection` as
 *   `burnRate…`/`projection…` columns (empty when null).
 */
import type { AnyReport, JsonUsage } from './render-json.js';
import {
  blockToJson,
  rowKeysToJson,
  rowKeyFields,
  USAGE_FIELDS,
  usageToJson,
} from './render-json.js';
import type { ReportKind, ReportRow } from './report-model.js';

export interface CsvOptions {
  /** One extra row per model under each row, with a `model` column. */
  readonly breakdown?: boolean;
}

type Field = string | number | boolean | null;

const BLOCK_COLUMNS = [
  'id',
  'startTime',
  'endTime',
  'actualEndTime',
  'isActive',
  'isGap',
  'entries',
  'inputTokens',
  'outputTokens',
  'cacheCreationInputTokens',
  'cacheReadInputTokens',
  'totalTokens',
  'costUSD',
  'models',
  'burnRateTokensPerMinute',
  'burnRateTokensPerHour',
  'burnRateCostPerHour',
  'projectionTotalTokens',
  'projectionTotalCost',
  'projectionRemainingMinutes',
];

/** A number as plain decimal text: `0.0000003` → `0.0000003`, not `3e-7`. */
function plainNumber(value: number): string {
  const text = String(value);
  if (!/e/i.test(text) || !Number.isFinite(value) || Math.abs(value) >= 1e21) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

export function csvField(value: Field): string {
  if (value === null) return '';
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: readonly Field[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

function usageFields(usage: JsonUsage): Field[] {
  return USAGE_FIELDS.map((name) => usage[name]);
}

/** The lines of one report row (and, with breakdown, its model rows) after `prefix` fields. */
function rowLines(kind: ReportKind, row: ReportRow, prefix: Field[], breakdown: boolean): string[] {
  const keys = [...prefix, ...Object.values(rowKeysToJson(kind, row))];
  const own = [
    ...keys,
    ...(breakdown ? [''] : []),
    ...usageFields(usageToJson(row)),
    row.modelsUsed.join(';'),
  ];
  const lines = [csvLine(own)];
  if (breakdown) {
    for (const b of row.modelBreakdowns) {
      lines.push(csvLine([...keys, b.modelName, ...usageFields(usageToJson(b)), b.modelName]));
    }
  }
  return lines;
}

/** The report as CSV text (see the module comment for the layout). */
export function reportToCsv(report: AnyReport, options: CsvOptions = {}): string {
  const breakdown = options.breakdown === true;
  const tail = [...(breakdown ? ['model'] : []), ...USAGE_FIELDS, 'modelsUsed'];
  switch (report.kind) {
    case 'blocks': {
      const lines = [csvLine(BLOCK_COLUMNS)];
      for (const block of report.blocks) {
        const b = blockToJson(block);
        lines.push(
          csvLine([
            b.id,
            b.startTime,
            b.endTime,
            b.actualEndTime,
            b.isActive,
            b.isGap,
            b.entries,
            b.tokenCounts.inputTokens,
            b.tokenCounts.outputTokens,
            b.tokenCounts.cacheCreationInputTokens,
            b.tokenCounts.cacheReadInputTokens,
            b.totalTokens,
            b.costUSD,
            b.models.join(';'),
            b.burnRate?.tokensPerMinute ?? null,
            b.burnRate?.tokensPerHour ?? null,
            b.burnRate?.costPerHour ?? null,
            b.projection?.totalTokens ?? null,
            b.projection?.totalCost ?? null,
            b.projection?.remainingMinutes ?? null,
          ]),
        );
      }
      return lines.join('');
    }
    case 'daily-instances': {
      const lines = [csvLine(['projectPath', ...rowKeyFields('daily'), ...tail])];
      for (const { projectPath, rows } of report.projects) {
        for (const row of rows) lines.push(...rowLines('daily', row, [projectPath], breakdown));
      }
      return lines.join('');
    }
    default: {
      const lines = [csvLine([...rowKeyFields(report.kind), ...tail])];
      for (const row of report.rows) lines.push(...rowLines(report.kind, row, [], breakdown));
      return lines.join('');
    }
  }
}
