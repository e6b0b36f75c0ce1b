import type { CorpusManifest } from '../corpus/manifest.js';
import type { Attribution, CauseId } from './ccusage-model.js';
import { CAUSES, dayTotals, oracleResponseIds, simulate } from './ccusage-model.js';
import { scanCorpus } from './corpus-scan.js';
import type { DayTable } from './day-compare.js';
import { allDays, dayOf, oracleDays } from './day-compare.js';
import type {
  CauseContribution,
  DayExplanation,
  ExplainResult,
  ResponseNote,
  TokenFields,
} from './results.js';
import {
  addInto,
  formatCount,
  isZero,
  magnitude,
  minus,
  sameFields,
  zeroFields,
} from './token-fields.js';

/**
 * Explains, day by day, why ccusage's daily totals differ from ctt's: re-reads the corpus with
 * JSON.parse, recounts it by the oracle's rules (checked against the manifest), then switches
 * on the modelled ccusage behaviours one at a time and charges every token that moves to the
 * behaviour that moved it, response by response. Whatever the model does not reproduce is
 * reported as unexplained.
 */

const NOTES_PER_CAUSE = 3;

/** day → cause → responseId → tokens the cause moved. */
type Moves = Map<string, Map<CauseId, Map<string, TokenFields>>>;

/** Records what switching `cause` on moved; returns how many (response, day) pairs moved. */
function recordMoves(
  moves: Moves,
  cause: CauseId,
  before: Attribution,
  after: Attribution,
): number {
  let moved = 0;
  for (const responseId of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(responseId);
    const now = after.get(responseId);
    for (const day of new Set([...(was?.keys() ?? []), ...(now?.keys() ?? [])])) {
      const delta = minus(now?.get(day) ?? zeroFields(), was?.get(day) ?? zeroFields());
      if (isZero(delta)) continue;
      const byCause = moves.get(day) ?? new Map<CauseId, Map<string, TokenFields>>();
      const byResponse = byCause.get(cause) ?? new Map<string, TokenFields>();
      byResponse.set(responseId, delta);
      byCause.set(cause, byResponse);
      moves.set(day, byCause);
      moved += 1;
    }
  }
  return moved;
}

function netOf(fields: TokenFields): number {
  return (
    fields.inputTokens + fields.outputTokens + fields.cacheCreationTokens + fields.cacheReadTokens
  );
}

/** "to 2025-05-20" (tokens moved there), "from …" (moved here), "also …" (changed there too). */
function otherDaysOf(moves: Moves, cause: CauseId, responseId: string, day: string): string[] {
  const here = netOf(moves.get(day)?.get(cause)?.get(responseId) ?? zeroFields());
  const notes: string[] = [];
  for (const [other, byCause] of [...moves].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const there = other === day ? undefined : byCause.get(cause)?.get(responseId);
    if (there === undefined) continue;
    const net = netOf(there);
    notes.push(`${here < 0 && net > 0 ? 'to' : here > 0 && net < 0 ? 'from' : 'also'} ${other}`);
  }
  return notes;
}

function contribution(
  moves: Moves,
  day: string,
  cause: CauseId,
  byResponse: Map<string, TokenFields>,
): CauseContribution {
  const delta = zeroFields();
  for (const fields of byResponse.values()) addInto(delta, fields);
  const ranked = [...byResponse].sort(([, a], [, b]) => magnitude(b) - magnitude(a));
  const responses: ResponseNote[] = ranked
    .slice(0, NOTES_PER_CAUSE)
    .map(([responseId, fields]) => ({
      messageId: responseId.split('\n')[0] ?? responseId,
      delta: fields,
      otherDays: otherDaysOf(moves, cause, responseId, day),
    }));
  const label = CAUSES.find((c) => c.id === cause)?.label ?? cause;
  return { cause, label, delta, responses, responseCount: byResponse.size };
}

export interface ExplainInput {
  readonly manifest: CorpusManifest;
  readonly ccusage: DayTable;
  readonly ctt: DayTable;
}

export function explainDays({ manifest, ccusage, ctt }: ExplainInput): ExplainResult {
  const startedMs = performance.now();
  const scan = scanCorpus(manifest.configDirs);
  const responseIds = oracleResponseIds(scan.copies);
  const on = new Set<CauseId>();
  let previous = simulate(scan.copies, responseIds, on);
  const oracle = oracleDays(manifest.expected.byDay);
  const recount = dayTotals(previous);
  const oracleRecountMatches = allDays(oracle, recount).every((day) =>
    sameFields(dayOf(oracle, day), dayOf(recount, day)),
  );
  const moves: Moves = new Map();
  const noEffect: string[] = [];
  for (const cause of CAUSES) {
    on.add(cause.id);
    const next = simulate(scan.copies, responseIds, on);
    if (recordMoves(moves, cause.id, previous, next) === 0) {
      const lines = scan.copies.filter(cause.affects).length;
      const scope =
        lines === scan.copies.length
          ? ''
          : ` (${formatCount(lines)} usage line${lines === 1 ? '' : 's'} concerned)`;
      noEffect.push(`${cause.text}${scope}`);
    }
    previous = next;
  }
  const explanations: DayExplanation[] = [];
  for (const day of allDays(
    ccusage,
    ctt,
    oracle,
    new Map([...moves.keys()].map((d) => [d, zeroFields()])),
  )) {
    const observed = minus(dayOf(ccusage, day), dayOf(ctt, day));
    const cttMinusOracle = minus(dayOf(ctt, day), dayOf(oracle, day));
    const causes = [...(moves.get(day) ?? new Map<CauseId, Map<string, TokenFields>>())]
      .sort(([a], [b]) => CAUSES.findIndex((c) => c.id === a) - CAUSES.findIndex((c) => c.id === b))
      .map(([cause, byResponse]) => contribution(moves, day, cause, byResponse));
    if (isZero(observed) && causes.length === 0 && isZero(cttMinusOracle)) continue;
    const unexplained = minus(observed, minus(zeroFields(), cttMinusOracle));
    for (const c of causes) addInto(unexplained, c.delta, -1);
    explanations.push({ day, observed, cttMinusOracle, causes, unexplained });
  }
  const legend: Record<string, string> = {};
  for (const cause of CAUSES) {
    if (explanations.some((e) => e.causes.some((c) => c.cause === cause.id)))
      legend[cause.label] = cause.text;
  }
  return {
    oracleRecountMatches,
    explanations,
    legend,
    noEffect,
    scanMs: performance.now() - startedMs,
  };
}
