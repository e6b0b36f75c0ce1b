/** The shape of `.bench/results.json` (and of `run-bench --json`). */

export type MeasureMethod = 'gnu-time' | 'proc-vmhwm';

/** One measured child process. */
export interface RunSample {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

export interface MeasuredSeries {
  readonly samples: readonly RunSample[];
  readonly medianWallMs: number;
  readonly medianPeakRssMb: number;
}

/** The four token fields both tools report per day. */
export interface TokenFields {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

export interface Goal {
  readonly name: string;
  readonly target: string;
  readonly actual: string;
  readonly met: boolean;
}

/** One UTC day where at least two of ctt, ccusage and the oracle disagree. */
export interface DayDiff {
  readonly day: string;
  readonly ctt: TokenFields;
  readonly ccusage: TokenFields;
  readonly oracle: TokenFields;
}

export interface DayComparison {
  /** Days present in any of the three sources. */
  readonly days: number;
  readonly cttEqualsOracle: number;
  readonly ccusageEqualsCtt: number;
  readonly ccusageEqualsOracle: number;
  readonly differing: readonly DayDiff[];
  readonly totals: {
    readonly ctt: TokenFields;
    readonly ccusage: TokenFields;
    readonly oracle: TokenFields;
  };
}

/** A response behind one cause's share of a day's difference. */
export interface ResponseNote {
  readonly messageId: string;
  readonly delta: TokenFields;
  /** Other days the same cause changed for this response: "to …", "from …" or "also …". */
  readonly otherDays: readonly string[];
}

export interface CauseContribution {
  readonly cause: string;
  readonly label: string;
  readonly delta: TokenFields;
  readonly responses: readonly ResponseNote[];
  readonly responseCount: number;
}

export interface DayExplanation {
  readonly day: string;
  /** ccusage − ctt, as measured. */
  readonly observed: TokenFields;
  /** ctt − oracle (zero when ctt is exact). */
  readonly cttMinusOracle: TokenFields;
  readonly causes: readonly CauseContribution[];
  /** observed − the sum of the causes' shares. */
  readonly unexplained: TokenFields;
}

export interface ExplainResult {
  /** The explainer's own recount of the corpus equals `manifest.expected.byDay`. */
  readonly oracleRecountMatches: boolean;
  readonly explanations: readonly DayExplanation[];
  /** label → full explanation, for every cause that changed a day. */
  readonly legend: Readonly<Record<string, string>>;
  /** Modelled ccusage behaviours that changed nothing on this corpus, with their line counts. */
  readonly noEffect: readonly string[];
  readonly scanMs: number;
}

export interface CorpusResult {
  readonly label: string;
  /** Relative to the repository root. */
  readonly dir: string;
  readonly seed: number;
  readonly targetBytes: number;
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  readonly generationMs: number | null;
  readonly runs: number;
  readonly cttFullSync: MeasuredSeries;
  readonly ccusageDaily: MeasuredSeries;
  readonly cttNoChangeSync: MeasuredSeries;
  /** Median wall ms of ctt full sync / ccusage daily. */
  readonly wallRatio: number;
  readonly peakRssRatio: number;
  readonly noChangeFilesSeen: number;
  readonly noChangeFilesRead: number;
  readonly ledgerResponses: number;
  readonly expectedResponses: number;
  readonly goals: readonly Goal[];
  readonly days: DayComparison;
  readonly explain: ExplainResult;
}

export interface BenchResults {
  readonly generatedAt: string;
  readonly measureMethod: MeasureMethod;
  readonly cpus: number;
  readonly node: string;
  readonly ccusage: { readonly version: string; readonly via: string };
  readonly corpora: readonly CorpusResult[];
  readonly figures: string;
}
