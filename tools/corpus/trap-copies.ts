import { textBlock } from './content-blocks.js';
import type { JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { userPromptLine } from './line-builders.js';
import { buildResponse } from './response-builder.js';
import { closeSession, openSession, writeTurns } from './session-writer.js';
import type { Thread } from './thread.js';
import { childThread, emit, tick } from './thread.js';
import { nextFacts } from './usage-factory.js';

function retainedOf(source: Thread): JsonObject[] {
  if (source.retained === null) throw new Error('copy source must be written with retain: true');
  return source.retained;
}

/**
 * A `/branch` (or `--fork-session`) copy: a new session file starting with a prefix of the
 * source's lines, each with the new `sessionId`, its original timestamp, uuid, `message.id` and
 * `requestId`, plus `forkedFrom: {sessionId, messageUuid}`; then new turns of its own.
 */
export function writeFork(source: Thread, copyFraction: number, turns: number): Thread {
  const { ctx } = source;
  const withUuid = retainedOf(source).flatMap((record) =>
    typeof record.uuid === 'string' ? [{ record, uuid: record.uuid }] : [],
  );
  const count = Math.max(1, Math.floor(withUuid.length * copyFraction));
  const fork = openSession(ctx, {
    era: source.era,
    version: source.version,
    configDir: source.location.configDir,
    cwd: source.cwd,
    startMs: source.clockMs + ctx.rng.int(600_000, 10_800_000),
    traits: {
      provider: source.provider,
      mainModel: source.mainModel,
      smallModel: source.smallModel,
      fastMode: source.fastMode,
      cache1h: source.cache1h,
      geo: source.geo,
      gitBranch: source.gitBranch,
    },
    subagents: false,
    textScale: source.textScale,
    maxStepsPerTurn: source.maxStepsPerTurn,
  });
  let lastUuid: string | null = null;
  for (const { record, uuid } of withUuid.slice(0, count)) {
    emit(fork, {
      ...record,
      sessionId: fork.sessionId,
      forkedFrom: { sessionId: source.sessionId, messageUuid: uuid },
    });
    lastUuid = uuid;
  }
  fork.lastUuid = lastUuid;
  fork.contextTokens = source.contextTokens;
  writeTurns(fork, turns);
  closeSession(fork);
  return fork;
}

/**
 * A /btw side question (≈2.1.7x–2.1.100): `<session>/subagents/agent-<id>.jsonl` holding a
 * replay of the conversation so far as `isSidechain: true` lines, each replayed response under
 * a new `requestId` with the same `message.id`, usage and timestamps; then the side question's
 * own (sidechain-only) response.
 */
export function writeBtwReplay(source: Thread): void {
  const { ctx } = source;
  const { ids, tree, rng, pool } = ctx;
  const agentId = ids.agentId(false);
  const file = tree.open(tree.nestedAgentPath(source.location, source.sessionId, agentId));
  const side = childThread(source, file, { isSidechain: true, agentId });
  side.clockMs = source.clockMs;
  const newRequestIds = new Map<string, string>();
  for (const record of retainedOf(source)) {
    if (record.type !== 'user' && record.type !== 'assistant') continue;
    const copy: JsonObject = { ...record, isSidechain: true, agentId };
    const message = record.message;
    if (
      record.type === 'assistant' &&
      isJsonObject(message) &&
      typeof message.id === 'string' &&
      typeof record.requestId === 'string'
    ) {
      let requestId = newRequestIds.get(message.id);
      if (requestId === undefined) newRequestIds.set(message.id, (requestId = ids.requestId()));
      copy.requestId = requestId;
    }
    emit(side, copy);
  }
  emit(side, userPromptLine(side, pool.sentence(rng), tick(side, 10_000, 60_000)));
  const lines = buildResponse(side, {
    blocks: [textBlock(side, rng.int(100, 800))],
    facts: nextFacts(side, side.mainModel, rng.int(500, 3000)),
    stopReason: 'end_turn',
  });
  for (const line of lines) emit(side, line);
  file.close();
}

/**
 * The same session file present byte for byte in both config dirs (a copied config): every
 * line is a second copy of the same response, with the same session, cwd and timestamp.
 */
export function writeMirror(source: Thread, configDir: string): void {
  const { tree } = source.ctx;
  const file = tree.open(
    tree.sessionPath({ ...source.location, configDir }, source.sessionId),
    source.file.eol,
  );
  for (const record of retainedOf(source)) file.record(record);
  file.noteEventTime(source.clockMs);
  file.close();
}
