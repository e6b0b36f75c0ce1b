import type { TokenTotals } from './manifest.js';
import { COST_UNITS_PER_USD, costUnitsOf, usdToCostUnits } from './usage-cost.js';
import { totalTokensOf } from './usage-copy.js';
import type { UsageCopy } from './usage-copy.js';

/** The priced view of one response: its final copy plus what it costs. */
export interface PricedResponse {
  readonly final: UsageCopy;
  /** Calculated cost units, or null when the model is unpriced. */
  readonly costUnits: number | null;
  /** The final copy's own `costUSD` if present, else the calculated cost (null if unpriced). */
  readonly autoCostUnits: number | null;
}

export function priceResponse(final: UsageCopy): PricedResponse {
  const costUnits = costUnitsOf(final.model, final.usage);
  const autoCostUnits = final.costUsd !== null ? usdToCostUnits(final.costUsd) : costUnits;
  return { final, costUnits, autoCostUnits };
}

/** Sums responses exactly (token counts as integers, costs as bigint cost units). */
export class TotalsAccumulator {
  private inputTokens = 0;
  private outputTokens = 0;
  private cacheCreationTokens = 0;
  private cacheCreation1hTokens = 0;
  private cacheReadTokens = 0;
  private webSearchRequests = 0;
  private costUnits = 0n;
  private autoCostUnits = 0n;
  private responses = 0;

  add(response: PricedResponse): void {
    const usage = response.final.usage;
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    this.cacheCreationTokens += usage.cacheCreationTokens;
    this.cacheCreation1hTokens += usage.cacheCreation1hTokens;
    this.cacheReadTokens += usage.cacheReadTokens;
    this.webSearchRequests += usage.webSearchRequests;
    if (response.costUnits !== null) this.costUnits += BigInt(response.costUnits);
    if (response.autoCostUnits !== null) this.autoCostUnits += BigInt(response.autoCostUnits);
    this.responses += 1;
  }

  get totalTokens(): number {
    return totalTokensOf({
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheCreationTokens: this.cacheCreationTokens,
      cacheCreation1hTokens: this.cacheCreation1hTokens,
      cacheReadTokens: this.cacheReadTokens,
      webSearchRequests: this.webSearchRequests,
      speed: null,
      inferenceGeo: null,
    });
  }

  toTotals(): TokenTotals {
    return {
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheCreationTokens: this.cacheCreationTokens,
      cacheCreation1hTokens: this.cacheCreation1hTokens,
      cacheReadTokens: this.cacheReadTokens,
      webSearchRequests: this.webSearchRequests,
      totalTokens: this.totalTokens,
      costUsd: Number(this.costUnits) / COST_UNITS_PER_USD,
      costUsdAuto: Number(this.autoCostUnits) / COST_UNITS_PER_USD,
      responses: this.responses,
    };
  }
}
