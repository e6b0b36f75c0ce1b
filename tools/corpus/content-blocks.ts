import type { JsonObject } from './json.js';
import type { Thread } from './thread.js';

/** Assistant content blocks and tool inputs, as the Messages API returns them. */

const TOOL_NAMES = ['Read', 'Bash', 'Grep', 'Edit', 'Glob', 'Write'] as const;
const COMMANDS = [
  'npm test',
  'git status',
  'ls -la src',
  'npx tsc --noEmit',
  'cargo build',
  'pytest -q',
];

/** A text length scaled by the thread's `textScale` (small hand-placed sessions, big ones). */
export function scaledChars(thread: Thread, chars: number): number {
  return Math.max(16, Math.round(chars * thread.textScale));
}

export function textBlock(thread: Thread, chars: number): JsonObject {
  const { rng, pool } = thread.ctx;
  let text = pool.text(rng, scaledChars(thread, chars));
  // Raw LINE/PARAGRAPH SEPARATOR inside strings (JSON.stringify leaves them unescaped).
  if (rng.chance(0.02)) text = `${text.slice(0, 40)}\u2028${text.slice(40)}\u2029`;
  return { type: 'text', text };
}

export function thinkingBlock(thread: Thread, chars: number): JsonObject {
  const { rng, pool, ids } = thread.ctx;
  return {
    type: 'thinking',
    thinking: pool.text(rng, scaledChars(thread, chars)),
    signature: ids.opaque(rng.int(120, 400)),
  };
}

function toolInput(thread: Thread, name: string): JsonObject {
  const { rng, pool } = thread.ctx;
  const withNulls = thread.nullsInToolInputs && rng.chance(0.5);
  const file = `${thread.cwd}/src/${pool.sentence(rng).split(' ')[0]?.toLowerCase() ?? 'index'}.ts`;
  switch (name) {
    case 'Read':
      return withNulls ? { file_path: file, offset: null, limit: null } : { file_path: file };
    case 'Bash':
      return {
        command: rng.pick(COMMANDS),
        description: pool.sentence(rng),
        timeout: withNulls ? null : 120_000,
      };
    case 'Grep':
      return { pattern: 'TODO|FIXME', path: withNulls ? null : thread.cwd, output_mode: 'content' };
    case 'Edit':
      return {
        file_path: file,
        old_string: pool.sentence(rng),
        new_string: pool.sentence(rng),
        replace_all: withNulls ? null : false,
      };
    case 'Glob':
      return { pattern: '**/*.ts', path: withNulls ? null : thread.cwd };
    default:
      return { file_path: file, content: pool.text(rng, scaledChars(thread, rng.int(100, 3000))) };
  }
}

export function toolUseBlock(thread: Thread, name?: string): JsonObject {
  const { rng, ids } = thread.ctx;
  const tool = name ?? rng.pick(TOOL_NAMES);
  return { type: 'tool_use', id: ids.toolUseId(), name: tool, input: toolInput(thread, tool) };
}

export function taskToolUseBlock(thread: Thread): JsonObject {
  const { rng, ids, pool } = thread.ctx;
  return {
    type: 'tool_use',
    id: ids.toolUseId(),
    name: 'Task',
    input: {
      description: pool.sentence(rng),
      prompt: pool.text(rng, scaledChars(thread, rng.int(200, 1200))),
      subagent_type: rng.pick(['Explore', 'general-purpose']),
    },
  };
}

/** A web search: the server tool call and its result, both streamed as content blocks. */
export function webSearchBlocks(thread: Thread): JsonObject[] {
  const { rng, ids, pool } = thread.ctx;
  const id = ids.serverToolUseId();
  const results = Array.from({ length: rng.int(2, 5) }, (_, i) => ({
    type: 'web_search_result',
    title: pool.sentence(rng),
    url: `https://example.com/docs/${i}/${rng.int(1000, 9999)}`,
    encrypted_content: ids.opaque(scaledChars(thread, rng.int(400, 2000))),
    page_age: null,
  }));
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query: pool.sentence(rng) } },
    { type: 'web_search_tool_result', tool_use_id: id, content: results },
  ];
}
