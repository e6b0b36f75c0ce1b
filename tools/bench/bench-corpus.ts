import type { Contenders } from './contenders.js';
import type { CachedCorpus, Log } from './corpus-cache.js';
import { warmPageCache } from './corpus-cache.js';
import {
  compareDays,
  oracleDays,
  readCcusageDays,
  readCttDays,
  readCttResponseCount,
} from './day-compare.js';
import { explainDays } from './explain-days.js';
import { goalsOf } from './report-timing.js';
import type { CorpusResult, ExplainResult, MeasureMethod } from './results.js';
import { humanBytes } from './token-fields.js';
import { timeCorpus } from './timed-runs.js';

/** One corpus end to end: timed runs, then (untimed) the per-day comparison and its explanation. */

export interface BenchCorpusInput {
  readonly contenders: Contenders;
  readonly method: MeasureMethod;
  readonly corpus: CachedCorpus;
  readonly runs: number;
  readonly explain: boolean;
  readonly log: Log;
}

const SKIPPED_EXPLAIN: ExplainResult = {
  oracleRecountMatches: false,
  explanations: [],
  legend: {},
  noEffect: ['(explanation skipped: --no-explain)'],
  scanMs: 0,
};

export async function benchCorpus({
  contenders,
  method,
  corpus,
  runs,
  explain,
  log,
}: BenchCorpusInput): Promise<CorpusResult> {
  const { manifest } = corpus;
  log(
    `corpus ${corpus.label}: warming the page cache (${humanBytes(warmPageCache(manifest.configDirs))} read)`,
  );
  const timed = await timeCorpus(contenders, method, corpus, runs, log);
  try {
    const ctt = readCttDays(timed.ledgerPath);
    const ccusage = readCcusageDays(timed.ccusageJson);
    const oracle = oracleDays(manifest.expected.byDay);
    const days = compareDays(ctt, ccusage, oracle);
    let explained = SKIPPED_EXPLAIN;
    if (explain) {
      log(
        `corpus ${corpus.label}: explaining ${days.differing.length} differing days (re-reading the corpus)`,
      );
      explained = explainDays({ manifest, ccusage, ctt });
    }
    const partial = {
      label: corpus.label,
      dir: corpus.relativeDir,
      seed: corpus.seed,
      targetBytes: corpus.targetBytes,
      files: manifest.files,
      bytes: manifest.bytes,
      lines: manifest.lines,
      generationMs: corpus.generationMs,
      runs,
      cttFullSync: timed.cttFullSync,
      ccusageDaily: timed.ccusageDaily,
      cttNoChangeSync: timed.cttNoChangeSync,
      wallRatio: timed.cttFullSync.medianWallMs / timed.ccusageDaily.medianWallMs,
      peakRssRatio: timed.cttFullSync.medianPeakRssMb / timed.ccusageDaily.medianPeakRssMb,
      noChangeFilesSeen: timed.lastNoChangeSync.files.seen,
      noChangeFilesRead: timed.lastNoChangeSync.files.read,
      ledgerResponses: readCttResponseCount(timed.ledgerPath),
      expectedResponses: manifest.expected.responses,
    };
    return { ...partial, goals: goalsOf(partial), days, explain: explained };
  } finally {
    timed.cleanup();
  }
}
