import type {
  CauseContribution,
  DayComparison,
  DayExplanation,
  ExplainResult,
  ResponseNote,
} from './results.js';
import { formatDelta, isZero, minus, zeroFields } from './token-fields.js';

/** The per-day comparison of one corpus and the explanation of every differing day. */

export function daysReport(days: DayComparison): string {
  const n = days.days;
  const lines = [
    `   per-day comparison (UTC days, ${n} in all):`,
    `     ctt = oracle on ${days.cttEqualsOracle}/${n} days; ccusage = ctt on ${days.ccusageEqualsCtt}/${n}; ccusage = oracle on ${days.ccusageEqualsOracle}/${n}`,
    `     all days, ccusage - ctt: ${formatDelta(minus(days.totals.ccusage, days.totals.ctt))}; ctt - oracle: ${formatDelta(minus(days.totals.ctt, days.totals.oracle))}`,
  ];
  if (days.differing.length > 0) lines.push('     differing days:');
  for (const d of days.differing) {
    const cttVsOracle = minus(d.ctt, d.oracle);
    const oracleNote = isZero(cttVsOracle) ? '' : `; ctt - oracle: ${formatDelta(cttVsOracle)}`;
    lines.push(
      `       ${d.day}  ccusage - ctt: ${formatDelta(minus(d.ccusage, d.ctt))}${oracleNote}`,
    );
  }
  return lines.join('\n');
}

function noteText(note: ResponseNote): string {
  return note.otherDays.length === 0
    ? note.messageId
    : `${note.messageId} (${note.otherDays.join(', ')})`;
}

function causeText(c: CauseContribution): string {
  const more = c.responseCount - c.responses.length;
  const ids = c.responses.map(noteText).join(', ') + (more > 0 ? `, and ${more} more` : '');
  return `${c.label}: ${c.responseCount === 1 ? '' : `${c.responseCount} responses: `}${ids}`;
}

function explanationLines(e: DayExplanation): string[] {
  const head = `     ${e.day}: ${formatDelta(e.observed)}`;
  const cttShare = minus(zeroFields(), e.cttMinusOracle);
  const cttError = isZero(e.cttMinusOracle)
    ? []
    : [
        `         ${formatDelta(cttShare)}: ctt itself, which differs from the oracle by ${formatDelta(e.cttMinusOracle)} (a ctt error)`,
      ];
  const unexplained = isZero(e.unexplained)
    ? []
    : [`         UNEXPLAINED: ${formatDelta(e.unexplained)}`];
  const only = e.causes[0];
  if (
    e.causes.length === 1 &&
    only !== undefined &&
    cttError.length === 0 &&
    unexplained.length === 0
  ) {
    return [`${head} (${causeText(only)})`];
  }
  return [
    head,
    ...e.causes.map((c) => `         ${formatDelta(c.delta)}: ${causeText(c)}`),
    ...cttError,
    ...unexplained,
  ];
}

export function explainReport(explain: ExplainResult): string {
  const unexplainedDays = explain.explanations.filter((e) => !isZero(e.unexplained)).length;
  const lines = [
    `   why ccusage differs from ctt, day by day (ccusage - ctt; corpus re-read with JSON.parse in ${(explain.scanMs / 1000).toFixed(1)} s;`,
    `   recount by the oracle's rules ${explain.oracleRecountMatches ? 'matches' : 'DOES NOT MATCH'} manifest.expected.byDay; ` +
      `${explain.explanations.length - unexplainedDays}/${explain.explanations.length} differing days fully explained):`,
  ];
  for (const e of explain.explanations) lines.push(...explanationLines(e));
  if (explain.explanations.length === 0) lines.push('     no differing days');
  const legend = Object.entries(explain.legend);
  if (legend.length > 0) lines.push('   causes:');
  for (const [label, text] of legend) lines.push(`     - ${label}: ${text}`);
  if (explain.noEffect.length > 0) {
    lines.push('   modelled ccusage behaviours that change no day on this corpus:');
    for (const text of explain.noEffect) lines.push(`     - ${text}`);
  }
  return lines.join('\n');
}
