/**
 * Cell formatting for human report output: counts, USD, local times, durations, and text that must
 * fit a terminal column (display width, path shortening, model lists, word wrapping). Pure.
 */

export const ELLIPSIS = '…';

let countFormat: Intl.NumberFormat | null = null;
let usdFormat: Intl.NumberFormat | null = null;
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** `1234567` → `1,234,567` (en-US, rounded to an integer). */
export function formatCount(value: number): string {
  countFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return countFormat.format(value);
}

/** `12.345` → `$12.35`, `1234.5` → `$1,234.50`; `null` (unknown: unpriced) → `—`. */
export function formatCostUsd(cost: number | null): string {
  if (cost === null) return '—';
  usdFormat ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  // Float noise below half a cent must not print as "-$0.00".
  return usdFormat.format(Math.abs(cost) < 0.005 ? 0 : cost);
}

/** `YYYY-MM-DD HH:mm` (24-hour) of an instant in an IANA zone. Throws RangeError for a bad zone. */
export function formatLocalTime(epochMs: number, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of format.formatToParts(epochMs)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** `4h 05m`, `12m`; negative durations count as 0. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours === 0 ? `${rest}m` : `${hours}h ${String(rest).padStart(2, '0')}m`;
}

/** A model id as a table shows it: `claude-sonnet-4-5-20250929` → `sonnet-4-5`. */
export function shortModelName(model: string): string {
  const short = model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
  return short === '' ? model : short;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Terminal columns a code point takes: 0 (controls, combining marks), 2 (wide East Asian, emoji) or 1. */
function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  ) {
    return 0;
  }
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Terminal columns `text` takes (ANSI colour codes take none). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += codePointWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** The longest start (or end, with `fromEnd`) of plain `text` at most `width` columns wide. */
function sliceToWidth(text: string, width: number, fromEnd: boolean): string {
  const chars = Array.from(text);
  if (fromEnd) chars.reverse();
  let used = 0;
  let taken = 0;
  for (const char of chars) {
    const w = codePointWidth(char.codePointAt(0) ?? 0);
    if (used + w > width) break;
    used += w;
    taken += 1;
  }
  const kept = chars.slice(0, taken);
  return (fromEnd ? kept.reverse() : kept).join('');
}

/** Plain `text` cut to `width` columns with a trailing `…` when it does not fit. */
export function truncateEnd(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  return sliceToWidth(text, width - 1, false) + ELLIPSIS;
}

/**
 * A path cut in the middle to `maxWidth` columns, keeping the root and as many last segments as
 * fit: `/home/ann/code/acme/api` → `/…/acme/api`, `~/…/api`, `…/api`; when even the last segment
 * does not fit, its end: `…ng-project-name`.
 */
export function shortenPath(path: string, maxWidth: number): string {
  if (displayWidth(path) <= maxWidth) return path;
  if (maxWidth <= 1) return maxWidth === 1 ? ELLIPSIS : '';
  const sep = path.includes('/') ? '/' : '\\';
  const trimmed = path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
  const parts = trimmed.split(sep);
  const head = parts[0] ?? '';
  for (let keep = parts.length - 1; keep >= 1; keep--) {
    const tail = parts.slice(-keep).join(sep);
    if (keep <= parts.length - 2) {
      const withRoot = `${head}${sep}${ELLIPSIS}${sep}${tail}`;
      if (displayWidth(withRoot) <= maxWidth) return withRoot;
    }
    const withoutRoot = `${ELLIPSIS}${sep}${tail}`;
    if (displayWidth(withoutRoot) <= maxWidth) return withoutRoot;
  }
  return ELLIPSIS + sliceToWidth(trimmed, maxWidth - 1, true);
}

/**
 * Model ids as a short list within `maxWidth` columns: `opus-4-1, sonnet-4-5`, else as many as fit
 * and a count of the rest (`opus-4-1, +2`), else the first cut (`opu… +2`).
 */
export function fitModelList(models: readonly string[], maxWidth: number): string {
  const names = models.map(shortModelName);
  const all = names.join(', ');
  if (displayWidth(all) <= maxWidth) return all;
  for (let shown = names.length - 1; shown >= 1; shown--) {
    const text = `${names.slice(0, shown).join(', ')}, +${names.length - shown}`;
    if (displayWidth(text) <= maxWidth) return text;
  }
  const more = names.length > 1 ? ` +${names.length - 1}` : '';
  return truncateEnd(names[0] ?? '', maxWidth - more.length) + more;
}

/**
 * Plain `text` wrapped at spaces into lines of at most `width` columns; continuation lines start
 * with `indent`. A word longer than a line is cut.
 */
export function wrapText(text: string, width: number, indent = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line === '' || displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = indent + word;
  }
  lines.push(line);
  return lines.flatMap((l) => cutToLines(l, width, indent));
}

function cutToLines(line: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (displayWidth(rest) > width && width > indent.length) {
    const head = sliceToWidth(rest, width, false);
    out.push(head);
    rest = indent + rest.slice(head.length);
  }
  out.push(width > indent.length ? rest : truncateEnd(rest, width));
  return out;
}

/** Control characters (newlines, escapes) in data shown as `?`, so a cell stays one clean line. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `2026-11-30T14` → `2026-11-30 14:00`. */
export function formatHourKey(key: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(key) ? `${key.replace('T', ' ')}:00` : key;
}

/** A session id's first 8 characters (a UUID's first group) and `…`. */
export function shortSessionId(id: string): string {
  return id.length > 9 ? `${id.slice(0, 8)}${ELLIPSIS}` : id;
}

/** The footer line for a model without a price. */
export function formatUnpricedNote(m: {
  model: string;
  responses: number;
  totalTokens: number;
}): string {
  const responses = `${formatCount(m.responses)} response${m.responses === 1 ? '' : 's'}`;
  return (
    `unpriced: ${sanitize(m.model)} — ${formatCount(m.totalTokens)} tokens in ${responses}; ` +
    'add its prices to the prices file'
  );
}
