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

/** One report timed on one ledger, next to ccusage's same (or nearest) report on the corpus. */
export interface ReportTiming {
  readonly report: string;
  /** ctt's arguments, paths replaced by placeholders. */
  readonly cttArgs: readonly string[];
  readonly ctt: MeasuredSeries;
  /** Rows in ctt's JSON (null for the summary). */
  readonly cttRows: number | null;
  /** ccusage's arguments, or null when ccusage has no comparable report. */
  readonly ccusageArgs: readonly string[] | null;
  readonly ccusage: MeasuredSeries | null;
  readonly ccusageRows: number | null;
  /** How the ccusage side compares: the same report, the nearest one, or why there is none. */
  readonly ccusageNote: string;
  /** ccusage median wall ms / ctt median wall ms. */
  readonly speedup: number | null;
  /** The wall-time goal for ctt on this ledger (process start included), if any. */
  readonly goalMs: number | null;
  readonly met: boolean | null;
}

/** Every report on the ledger built from one corpus. */
export interface LedgerReportsResult {
  readonly label: string;
  readonly seed: number;
  readonly targetBytes: number;
  /** Relative to the repository root. */
  readonly corpusDir: string;
  readonly corpusBytes: number;
  readonly corpusFiles: number;
  readonly corpusGenerationMs: number | null;
  /** Relative to the repository root. */
  readonly ledger: string;
  readonly ledgerBytes: number;
  readonly ledgerResponses: number;
  readonly expectedResponses: number;
  /** The `ctt sync` that built the ledger in this run, or null when it was reused. */
  readonly ledgerBuild: RunSample | null;
  readonly runs: number;
  /** 1-minute load average at the start of each round. */
  readonly loadAverages: readonly number[];
  readonly goalMs: number | null;
  readonly reports: readonly ReportTiming[];
  readonly goals: readonly Goal[];
}

export interface ReportsResults {
  readonly generatedAt: string;
  readonly measureMethod: MeasureMethod;
  readonly cpus: number;
  readonly node: string;
  readonly ccusage: { readonly version: string; readonly via: string };
  readonly ledgers: readonly LedgerReportsResult[];
  readonly figures: string;
}

/** Percentiles of one latency series, in milliseconds. */
export interface LatencyPercentiles {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** Append-to-ledger-row latency of `ctt start` in one watch mode (default intervals). */
export interface TrackerLatencyResult extends LatencyPercentiles {
  readonly watch: 'hybrid' | 'poll';
  readonly appends: number;
  /** Rows seen in the ledger (equals `appends` unless some never arrived). */
  readonly detected: number;
  readonly newFiles: number;
  readonly openSessions: number;
  readonly meanLineBytes: number;
  /** Mean spacing of the ledger checks actually achieved (the detector's resolution). */
  readonly meanCheckIntervalMs: number;
  readonly loadAverage: number;
  /** Errors the tracker reported during the run ("class: message"). */
  readonly trackerErrors: readonly string[];
  readonly met: boolean;
}

/** The tracker's CPU over one window, and the polls it ran in that window. */
export interface TrackerCpuWindow {
  readonly label: 'idle' | 'active-quiet' | 'steady';
  readonly seconds: number;
  /** Lines appended during the window (steady only). */
  readonly appends: number;
  readonly cpuMs: number;
  /** CPU time / wall time, in percent of one core. */
  readonly cpuPercent: number;
  readonly polls: number;
  readonly meanPollMs: number;
  readonly maxPollMs: number;
  /** Poll modes the tracker reported during the window. */
  readonly modes: readonly string[];
  readonly rssMb: number;
  readonly loadAverage: number;
  /** Steady window: append-to-row latency of its lines on this tree, null for the others. */
  readonly latency: LatencyPercentiles | null;
  /** Steady window: appended lines whose rows never arrived. */
  readonly missingRows: number;
}

export interface TrackerCpuResult {
  readonly watch: 'hybrid' | 'poll';
  /** The start-up catch-up on the already-synced tree (nothing new to read). */
  readonly catchUpMs: number;
  readonly filesSeen: number;
  readonly windows: readonly TrackerCpuWindow[];
  readonly peakRssMb: number;
  /** Errors the tracker reported during the run ("class: message"). */
  readonly trackerErrors: readonly string[];
  readonly met: boolean;
}

export interface TrackerTreeInfo {
  /** Relative to the repository root. */
  readonly dir: string;
  readonly files: number;
  readonly projects: number;
  readonly bytes: number;
  readonly lines: number;
  readonly responses: number;
  readonly generationMs: number | null;
  /** The first `ctt start` catch-up over the whole tree (null when the cached ledger was reused). */
  readonly firstCatchUpMs: number | null;
}

/** `ctt start`: latency, CPU and memory, and what a ccusage user does instead. */
export interface TrackerResults {
  readonly generatedAt: string;
  readonly cpus: number;
  readonly node: string;
  readonly clockTicksPerSecond: number;
  readonly detection: string;
  readonly latency: readonly TrackerLatencyResult[];
  readonly tree: TrackerTreeInfo;
  readonly cpu: readonly TrackerCpuResult[];
  /** CPU ms of one listing of the tree (what every poll starts with), measured in the bench. */
  readonly listingCpuMs: number;
  /** One `ccusage daily` over the same tree (page cache warm). */
  readonly ccusageDaily: RunSample;
  /** ccusage daily wall ms / mean ctt idle poll ms (hybrid). */
  readonly ccusageOverIdlePoll: number;
  readonly goals: readonly Goal[];
  readonly figures: string;
}

/**
 * The sync part (`generatedAt` … `figures`), the reports part and the tracker part. A part not
 * run this time (`--reports-only`, `--no-reports`, `--tracker-only`, `--no-tracker`) is carried
 * over from the previous file, if any.
 */
export interface BenchResults {
  readonly generatedAt: string;
  readonly measureMethod: MeasureMethod;
  readonly cpus: number;
  readonly node: string;
  readonly ccusage: { readonly version: string; readonly via: string };
  readonly corpora: readonly CorpusResult[];
  readonly figures: string;
  readonly reports?: ReportsResults;
  readonly tracker?: TrackerResults;
}
