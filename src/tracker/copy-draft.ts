/** A usage copy read from a file, in the shape the ledger merges. */
import type { CopyInput } from '../store/commit-slice.js';
import type { UsageCopy } from '../sources/claude-code/transcript-record.js';

export function toCopyInput(copy: UsageCopy, projectDir: string | null): CopyInput {
  return {
    byteOffset: copy.byteOffset,
    messageId: copy.messageId,
    requestId: copy.requestId,
    weakKey: copy.weakKey,
    draft: {
      messageId: copy.messageId,
      requestId: copy.requestId,
      weakKey: copy.weakKey,
      final: {
        isSidechain: copy.isSidechain,
        model: copy.model,
        usage: copy.usage,
        version: copy.version,
        costUsdLogged: copy.costUsdLogged,
        agentId: copy.agentId,
      },
      original: {
        isSidechain: copy.isSidechain,
        forked: copy.forked,
        timestampMs: copy.timestampMs,
        sessionId: copy.sessionId,
        cwd: copy.cwd,
        projectDir,
      },
    },
  };
}
