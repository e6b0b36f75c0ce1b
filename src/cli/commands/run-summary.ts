/** Gathers `ctt report` from the ledger and the transcript folders. */
import { identifyBlocks } from '../../core/blocks.js';
import {
  addDaysToDateKey,
  dayKey,
  monthKey,
  parseWeekday,
  resolveTimeZone,
  startOfLocalDay,
  weekKey,
} from '../../core/time-zone.js';
import {
  activeBlock,
  topRows,
  totalsOfRows,
  type PeriodSummary,
  type SummaryReport,
} from '../../reports/build-summary.js';
import { summaryToJson, summaryToText } from '../../reports/render-summary.js';
import { readCleanupSetting } from '../../sources/claude-code/cleanup-setting.js';
import { openLedger, type Ledger } from '../../store/database.js';
import {
  filesOlderThan,
  lastIngestMs,
  ledgerSpan,
  quarantineCount,
} from '../../store/health-queries.js';
import {
  queryBlockGroups,
  queryGroups,
  type CostMode,
  type ReportFilter,
} from '../../store/report-queries.js';
import type { CliContext } from '../context.js';
import { resolveLocations, type Locations } from '../locations.js';
import type { SummaryOptionValues } from './summary.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CLEANUP_WARNING_DAYS = 7;

function cleanupRisk(
  db: Ledger,
  locations: Locations,
  nowMs: number,
): SummaryReport['health']['cleanup'] {
  const setting = readCleanupSetting(locations.configDirs);
  const cutoffMs = nowMs - (setting.days - CLEANUP_WARNING_DAYS) * DAY_MS;
  const aged = filesOlderThan(db, cutoffMs);
  return {
    cleanupPeriodDays: setting.days,
    settingsFile: setting.source,
    dueSoon: aged.files,
    dueSoonNotInLedger: aged.notFullyRead,
    withinDays: CLEANUP_WARNING_DAYS,
  };
}

export function buildSummary(
  db: Ledger,
  locations: Locations,
  timeZone: string,
  costMode: CostMode,
  startOfWeek: number,
  nowMs: number,
): SummaryReport {
  const today = dayKey(nowMs, timeZone);
  const range = (since: string | null): ReportFilter => ({
    fromMs: since === null ? null : startOfLocalDay(since, timeZone),
    toMsExclusive: startOfLocalDay(addDaysToDateKey(today, 1), timeZone),
    costMode,
  });
  const periods: PeriodSummary[] = [];
  const specs: [PeriodSummary['label'], string | null][] = [
    ['today', today],
    ['this week', weekKey(nowMs, timeZone, startOfWeek)],
    ['this month', `${monthKey(nowMs, timeZone)}-01`],
    ['all time', null],
  ];
  let allTimeUnpriced: SummaryReport['health']['unpricedModels'] = [];
  for (const [label, since] of specs) {
    const filter = since === null ? { fromMs: null, toMsExclusive: null, costMode } : range(since);
    const { totals, unpriced } = totalsOfRows(queryGroups(db, filter, 'model'));
    periods.push({ label, since, totals });
    if (since === null) allTimeUnpriced = unpriced;
  }
  const month = range(`${monthKey(nowMs, timeZone)}-01`);
  const recent = queryBlockGroups(db, {
    fromMs: nowMs - 10 * HOUR_MS,
    toMsExclusive: null,
    costMode,
  });
  const span = ledgerSpan(db);
  return {
    kind: 'summary',
    timeZone,
    nowMs,
    periods,
    topProjects: topRows(queryGroups(db, month, 'cwd')),
    topModels: topRows(queryGroups(db, month, 'model')),
    currentBlock: activeBlock(identifyBlocks(recent, nowMs)),
    health: {
      lastIngestMs: lastIngestMs(db),
      responses: span.responses,
      firstResponseMs: span.firstMs,
      lastResponseMs: span.lastMs,
      quarantinedLines: quarantineCount(db),
      unpricedModels: allTimeUnpriced,
      cleanup: cleanupRisk(db, locations, nowMs),
    },
  };
}

export async function runSummary(values: SummaryOptionValues, context: CliContext): Promise<void> {
  const locations = resolveLocations(values, context.env);
  const timeZone = resolveTimeZone(values.timezone ?? values.tz, context.env);
  const startOfWeek = parseWeekday(values.startOfWeek ?? 'monday');
  if (values.sync !== false) await context.sync(values, undefined);
  const db = openLedger(locations.ledgerPath);
  try {
    const report = buildSummary(
      db,
      locations,
      timeZone,
      (values.mode ?? 'auto') as CostMode,
      startOfWeek,
      context.nowMs(),
    );
    if (values.json === true) context.stdout(JSON.stringify(summaryToJson(report), null, 2));
    else
      context.stdout(
        summaryToText(report, {
          columns: Number(context.env['COLUMNS']) || process.stdout.columns || 120,
        }),
      );
  } finally {
    db.close();
  }
}
