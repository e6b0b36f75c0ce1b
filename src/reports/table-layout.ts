/**
 * The width-fitting table layout under every report table: columns declare how they shrink
 * (text cells shorten, numbers never do), and a spec lists layouts from widest to narrowest; the
 * first that fits `columns` is drawn with cli-table3, else plain lines cut to the width.
 */
import Table from 'cli-table3';
import type pc from 'picocolors';
import { displayWidth, sanitize, shortenPath, truncateEnd } from './format-cells.js';
export type Colors = ReturnType<typeof pc.createColors>;
export type Fit<L> = (line: L, text: string, width: number) => string;
export interface Col<L> {
  readonly id: string;
  readonly head: string;
  readonly align: 'left' | 'right';
  readonly text: (line: L) => string;
  /** Flexible columns shorten their text to the width given, down to `min`; others never do. */
  readonly fit: Fit<L> | null;
  readonly min: number;
}
export interface Spec<L> {
  /** Column sets, widest first. */
  readonly levels: readonly (readonly Col<L>[])[];
  readonly lines: readonly L[];
  /** A path line spanning the table (a project in `daily --instances`), else null. */
  readonly section: (line: L) => string | null;
  readonly paint: (line: L, colId: string) => ((text: string) => string) | null;
  /** Draw a rule above the last line (the Total row). */
  readonly ruleAboveLast: boolean;
}

export function col<L>(
  id: string,
  head: string,
  align: 'left' | 'right',
  text: (line: L) => string,
  fit: Fit<L> | null = null,
  min = 0,
): Col<L> {
  return { id, head, align, text: (line) => sanitize(text(line)), fit, min };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Content widths of the columns, or null when they cannot fit `columns`. */
function fitWidths<L>(cols: readonly Col<L>[], spec: Spec<L>, columns: number): number[] | null {
  const body = spec.lines.filter((line) => spec.section(line) === null);
  const natural = cols.map((c) =>
    Math.max(displayWidth(c.head), ...body.map((line) => displayWidth(c.text(line)))),
  );
  const widths = cols.map((c, i) => {
    const full = natural[i] ?? 0;
    return c.fit === null ? full : Math.min(full, Math.max(c.min, displayWidth(c.head)));
  });
  let free = columns - (3 * cols.length + 1) - sum(widths);
  if (free < 0) return null;
  for (let grew = true; free > 0 && grew; ) {
    grew = false;
    for (let i = 0; i < widths.length && free > 0; i++) {
      if ((widths[i] ?? 0) < (natural[i] ?? 0))
        [widths[i], free, grew] = [(widths[i] ?? 0) + 1, free - 1, true];
    }
  }
  return widths;
}

function draw<L>(cols: readonly Col<L>[], fitted: number[], spec: Spec<L>, c: Colors): string {
  const cells = spec.lines.map((line) =>
    spec.section(line) !== null
      ? null
      : cols.map((column, i) => {
          const width = fitted[i] ?? 0;
          const text = column.text(line);
          return column.fit === null ? truncateEnd(text, width) : column.fit(line, text, width);
        }),
  );
  // Flexible columns narrow to what their shortened cells use; sections may take some back.
  const widths = cols.map((column, i) =>
    column.fit === null
      ? (fitted[i] ?? 0)
      : Math.max(displayWidth(column.head), ...cells.map((r) => displayWidth(r?.[i] ?? ''))),
  );
  const sections = spec.lines.map((line) => sanitize(spec.section(line) ?? ''));
  const slack = sum(fitted) - sum(widths);
  const want = Math.max(0, ...sections.map(displayWidth)) - (sum(widths) + 3 * (cols.length - 1));
  const flex = cols.findIndex((column) => column.fit !== null);
  if (want > 0 && flex >= 0) widths[flex] = (widths[flex] ?? 0) + Math.min(want, slack);
  const inner = sum(widths) + 3 * (widths.length - 1);
  const table = new Table({
    head: cols.map((column) => c.cyan(column.head)),
    colWidths: widths.map((w) => w + 2),
    colAligns: cols.map((column) => column.align),
    style: { head: [], border: [], compact: true },
    wordWrap: false,
    truncate: '…',
  });
  spec.lines.forEach((line, n) => {
    const row = cells[n];
    if (row === null || row === undefined) {
      const content = c.bold(shortenPath(sections[n] ?? '', inner));
      table.push([{ colSpan: cols.length, content, hAlign: 'left' }]);
      return;
    }
    table.push(
      row.map((text, i) => {
        const paint = spec.paint(line, cols[i]?.id ?? '');
        return text === '' || paint === null ? text : paint(text);
      }),
    );
  });
  const out = table.toString().split('\n'); // top border, header, rule, rows…, bottom border
  const rule = `├${widths.map((w) => '─'.repeat(w + 2)).join('┼')}┤`;
  if (spec.ruleAboveLast && out.length > 5) out.splice(-2, 0, rule);
  return out.join('\n');
}

/** The widest layout that fits; as a last resort plain lines cut to `columns`. */
export function layOut<L>(spec: Spec<L>, columns: number, c: Colors): string {
  for (const cols of spec.levels) {
    const widths = fitWidths(cols, spec, columns);
    if (widths === null) continue;
    const text = draw(cols, widths, spec, c);
    if (text.split('\n').every((line) => displayWidth(line) <= columns)) return text;
  }
  // Too narrow for borders: aligned columns without them, each line cut to the width.
  const last = spec.levels[spec.levels.length - 1] ?? [];
  const rows = spec.lines.map((line) => {
    const section = spec.section(line);
    return section === null ? last.map((column) => column.text(line)) : sanitize(section);
  });
  const widths = last.map((column, i) =>
    Math.max(
      displayWidth(column.head),
      ...rows.map((r) => (typeof r === 'string' ? 0 : displayWidth(r[i] ?? ''))),
    ),
  );
  const plain = (cells: string[]): string => {
    const padded = cells.map((text, i) => {
      const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text)));
      return last[i]?.align === 'right' ? pad + text : text + pad;
    });
    return truncateEnd(padded.join('  ').trimEnd(), columns);
  };
  const head = c.cyan(plain(last.map((column) => column.head)));
  return [
    head,
    ...rows.map((r) => (typeof r === 'string' ? truncateEnd(r, columns) : plain(r))),
  ].join('\n');
}
