/** Human output of commands: counts come from the report cells, durations are sync's own. */
export { formatCount } from '../reports/format-cells.js';

export function formatDurationMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
