import { describe, expect, it } from 'vitest';
import { hookEventName, parseHookInput } from './hook-input.js';

describe('parseHookInput', () => {
  it('keeps ids, paths and the short detail fields of a SessionStart body', () => {
    const body = {
      session_id: '5b0e-1',
      transcript_path: '/home/alice/.claude/projects/-home-alice-src-webapp/5b0e-1.jsonl',
      cwd: '/home/alice/src/webapp',
      hook_event_name: 'SessionStart',
      source: 'startup',
      model: 'claude-opus-5-5',
      permission_mode: 'default',
    };
    expect(parseHookInput(JSON.stringify(body), 'session-start')).toEqual({
      ok: true,
      input: {
        event: 'SessionStart',
        sessionId: '5b0e-1',
        cwd: '/home/alice/src/webapp',
        transcriptPath: body.transcript_path,
        detail: { source: 'startup', model: 'claude-opus-5-5' },
      },
    });
  });

  it('never keeps message text: a Stop or SubagentStop body is reduced to its facts', () => {
    const secret = 'THE ASSISTANT SAID SOMETHING PRIVATE';
    const body = {
      session_id: 's',
      transcript_path: '',
      cwd: '/w',
      hook_event_name: 'SubagentStop',
      stop_hook_active: false,
      agent_id: 'a-1',
      agent_type: 'Explore',
      agent_transcript_path: '/w/agent.jsonl',
      last_assistant_message: secret,
      prompt: secret,
      custom_instructions: secret,
      // A field of the kept names that is not the short fact it should be is dropped, not cut.
      reason: secret.repeat(10),
    };
    const result = parseHookInput(JSON.stringify(body), undefined);
    expect(result).toEqual({
      ok: true,
      input: {
        event: 'SubagentStop',
        sessionId: 's',
        cwd: '/w',
        transcriptPath: null,
        detail: { agent_type: 'Explore' },
      },
    });
    expect(JSON.stringify(result)).not.toContain('PRIVATE');
  });

  it('takes the event from the argument when the body has none, in Claude Code spelling', () => {
    const result = parseHookInput('{"session_id":"s","reason":"prompt_input_exit"}', 'session-end');
    expect(result).toMatchObject({
      ok: true,
      input: { event: 'SessionEnd', detail: { reason: 'prompt_input_exit' } },
    });
  });

  it('ignores fields of the wrong type', () => {
    const result = parseHookInput('{"hook_event_name":"Stop","session_id":42,"cwd":["x"]}', 'x');
    expect(result).toEqual({
      ok: true,
      input: { event: 'Stop', sessionId: null, cwd: null, transcriptPath: null, detail: null },
    });
  });

  it.each([
    ['', 'hook input on stdin is empty'],
    ['not json', 'hook input on stdin is not JSON'],
    ['[1,2]', 'hook input on stdin is not a JSON object'],
    ['null', 'hook input on stdin is not a JSON object'],
    ['{"session_id":"s"}', 'hook input names no hook_event_name and no event was given'],
  ])('rejects %j with a one-line reason', (text, reason) => {
    expect(parseHookInput(text, undefined)).toEqual({ ok: false, reason });
  });
});

describe('hookEventName', () => {
  it.each([
    ['session-start', 'SessionStart'],
    ['session_end', 'SessionEnd'],
    ['stop', 'Stop'],
    ['subagent-stop', 'SubagentStop'],
    ['SubagentStop', 'SubagentStop'],
    ['  ', ''],
  ])('%j → %j', (name, expected) => {
    expect(hookEventName(name)).toBe(expected);
  });
});
