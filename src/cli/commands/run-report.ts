/** Runs one report: catch up (unless --no-sync), query, build, render. Loaded only for reports. */
import { identifyBlocks } from '../../core/blocks.js';
import { buildGroupReport, buildSessionReport } from '../../reports/build-group-reports.js';
import { totalsOfRows } from '../../reports/build-summary.js';
import { buildInstancesReport, buildPeriodReport } from '../../reports/build-period-report.js';
import type {
  BlocksReport,
  InstancesReport,
  Report,
  SessionRow,
} from '../../reports/report-model.js';
import { reportToCsv } from '../../reports/render-csv.js';
import { reportToJson } from '../../reports/render-json.js';
import { reportToTable } from '../../reports/render-table.js';
import { openLedger, type Ledger } from '../../store/database.js';
import {
  queryBlockGroups,
  queryGroups,
  queryQuarters,
  querySessions,
} from '../../store/report-queries.js';
import type { CliContext } from '../context.js';
import { resolveLocations } from '../locations.js';
import type { CommonOptionValues } from '../shared-options.js';
import type { ReportCommandName } from './reports.js';
import type { ReportSettings } from './report-options.js';

type AnyReport = Report | Report<SessionRow> | InstancesReport | BlocksReport;

export function buildReport(
  name: ReportCommandName,
  db: Ledger,
  settings: ReportSettings,
  nowMs: number,
): AnyReport {
  const { filter, timeZone } = settings;
  switch (name) {
    case 'daily':
    case 'weekly':
    case 'monthly':
    case 'hourly': {
      const options = {
        timeZone,
        startOfWeek: settings.startOfWeek,
        order: settings.order ?? 'asc',
      };
      if (name === 'daily' && settings.instances)
        return buildInstancesReport(queryQuarters(db, filter, true), options);
      return buildPeriodReport(name, queryQuarters(db, filter), options);
    }
    case 'session':
      return buildSessionReport(querySessions(db, filter), timeZone, settings.order ?? 'asc');
    case 'project':
      return buildGroupReport(
        'project',
        queryGroups(db, filter, 'cwd'),
        timeZone,
        settings.order ?? 'desc',
      );
    case 'model':
      return buildGroupReport(
        'model',
        queryGroups(db, filter, 'model'),
        timeZone,
        settings.order ?? 'desc',
      );
    case 'blocks': {
      const blocks = identifyBlocks(queryBlockGroups(db, filter), nowMs);
      if (settings.order === 'desc') blocks.reverse();
      return {
        kind: 'blocks',
        blocks,
        unpricedModels: totalsOfRows(queryGroups(db, filter, 'model')).unpriced,
        timeZone,
      };
    }
  }
}

export function renderReport(
  report: AnyReport,
  settings: ReportSettings,
  context: CliContext,
): string {
  if (settings.format === 'json') return JSON.stringify(reportToJson(report), null, 2);
  if (settings.format === 'csv') return reportToCsv(report, { breakdown: settings.breakdown });
  const columns = Number(context.env['COLUMNS']) || process.stdout.columns || 120;
  const color = process.stdout.isTTY && (context.env['NO_COLOR'] ?? '') === '';
  return reportToTable(report, {
    columns,
    color,
    breakdown: settings.breakdown,
    timeZone: settings.timeZone,
  });
}

export async function runReport(
  name: ReportCommandName,
  settings: ReportSettings,
  common: CommonOptionValues,
  context: CliContext,
): Promise<void> {
  const locations = resolveLocations(common, context.env);
  if (settings.sync) await context.sync(common, undefined);
  const db = openLedger(locations.ledgerPath);
  try {
    context.stdout(
      renderReport(buildReport(name, db, settings, context.nowMs()), settings, context),
    );
  } finally {
    db.close();
  }
}
