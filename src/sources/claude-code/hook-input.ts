/**
 * The JSON Claude Code sends a command hook on stdin (claude-code-data.md §4): what a tracker
 * needs of it and nothing more. Stop and SubagentStop bodies carry `last_assistant_message` and
 * other hooks carry prompts; none of that is kept: only ids, paths and the few short enum-like
 * fields below.
 */

/**
 * The few short facts kept of a hook body (SessionStart `source`, SessionEnd `reason`, …). A type,
 * not an interface, so it fits the store's string record.
 */
export type HookDetail = {
  readonly source?: string;
  readonly reason?: string;
  readonly model?: string;
  readonly agent_type?: string;
};

export interface HookInput {
  /** Claude Code's event name (`SessionStart`, `SessionEnd`, `Stop`, `SubagentStop`, …). */
  readonly event: string;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  /** `null` when absent or empty (some remote modes send `""`). */
  readonly transcriptPath: string | null;
  /** `null` when the body had none of the detail fields. */
  readonly detail: HookDetail | null;
}

export type HookInputResult =
  | { readonly ok: true; readonly input: HookInput }
  | { readonly ok: false; readonly reason: string };

const DETAIL_FIELDS = ['source', 'reason', 'model', 'agent_type'] as const;
/** Longer values are not the enum-like facts these fields hold; they are dropped, not cut. */
const MAX_DETAIL_CHARS = 200;

/**
 * `session-start`, `session_end`, `stop`, `SubagentStop` → Claude Code's spelling
 * (`SessionStart`, …), so a hook configured by either name records the same event.
 */
export function hookEventName(name: string): string {
  return name
    .trim()
    .split(/[-_\s]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function stringField(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The hook body `text` as a HookInput. The event is the body's `hook_event_name`, else
 * `fallbackEvent` (the command line's argument); a body that is not a JSON object, or names no
 * event either way, is rejected with a one-line reason.
 */
export function parseHookInput(text: string, fallbackEvent: string | undefined): HookInputResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'empty' : 'not JSON';
    return { ok: false, reason: `hook input on stdin is ${what}` };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, reason: 'hook input on stdin is not a JSON object' };
  }
  const record = body as Record<string, unknown>;
  const named = stringField(record, 'hook_event_name');
  const event = hookEventName(named ?? fallbackEvent ?? '');
  if (event === '') {
    return { ok: false, reason: 'hook input names no hook_event_name and no event was given' };
  }
  const detail: Record<string, string> = {};
  for (const key of DETAIL_FIELDS) {
    const value = stringField(record, key);
    if (value !== null && value.length <= MAX_DETAIL_CHARS) detail[key] = value;
  }
  return {
    ok: true,
    input: {
      event,
      sessionId: stringField(record, 'session_id'),
      cwd: stringField(record, 'cwd'),
      transcriptPath: stringField(record, 'transcript_path'),
      detail: Object.keys(detail).length === 0 ? null : detail,
    },
  };
}
