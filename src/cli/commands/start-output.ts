/**
 * What `ctt start` prints: a header saying what is tracked, the catch-up and the initial state
 * per project, then the audit trail as it happens (stdout); errors and recoveries go to stderr.
 * `--json` prints the same events as NDJSON on stdout; `--debug` adds every poll.
 */
import type { HighWater } from '../../core/counter-marks.js';
import { formatCount } from '../../reports/format-cells.js';
import { formatTrailChange } from '../../reports/render-audit-trail.js';
import { changeToJson, isoTime } from '../../reports/render-changes.js';
import { formatLocalSecond } from '../../reports/render-changes-table.js';
import type { TrackerEvent } from '../../tracker/run-tracker.js';
import { formatDurationMs } from '../format.js';

export interface StartOutputOptions {
  readonly json: boolean;
  readonly debug: boolean;
  readonly timeZone: string;
  readonly color: boolean;
  readonly write: (text: string) => void;
  readonly warn: (text: string) => void;
}

export interface StartedInfo {
  readonly pid: number;
  readonly version: string;
  readonly projectsDirs: readonly string[];
  readonly claudeJson: string;
  readonly ledger: string;
  readonly watch: string;
  readonly watchNote: string | null;
  readonly activeIntervalMs: number;
  readonly idleIntervalMs: number;
}

export interface InitialProject {
  readonly project: string;
  readonly sessionId: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheReadTokens: number;
  readonly costUsd: number;
}

/** Each project's current session and its totals, as the `~/.claude.json` marks hold them. */
export function initialProjects(marks: HighWater): InitialProject[] {
  const rows: InitialProject[] = [];
  for (const [project, state] of marks.projects) {
    const epoch = state.epochs.get(state.currentSessionId);
    const value = (key: string): number => epoch?.get(key) ?? 0;
    rows.push({
      project,
      sessionId: state.currentSessionId,
      inputTokens: value('inputTokens'),
      outputTokens: value('outputTokens'),
      cacheCreationTokens: value('cacheCreationTokens'),
      cacheReadTokens: value('cacheReadTokens'),
      costUsd: value('costUsd'),
    });
  }
  return rows.sort((a, b) => a.project.localeCompare(b.project));
}

export interface StartOutput {
  started(info: StartedInfo): void;
  event(event: TrackerEvent, marks: HighWater): void;
}

export function createStartOutput(options: StartOutputOptions): StartOutput {
  const { json, debug, timeZone, write, warn } = options;
  const emit = (type: string, fields: Record<string, unknown>): void =>
    write(JSON.stringify({ event: type, time: isoTime(Date.now()), ...fields }));
  const style = { timeZone, color: options.color };
  const printChanges = (changes: Parameters<typeof formatTrailChange>[0][]): void => {
    for (const change of changes) {
      if (json) emit('change', { ...changeToJson(change) });
      else write(formatTrailChange(change, style));
    }
  };
  return {
    started(info) {
      if (json) {
        emit('start', { ...info });
        return;
      }
      write(
        `ctt start: tracking since ${formatLocalSecond(Date.now(), timeZone)} ${timeZone} (pid ${info.pid}, ctt ${info.version})`,
      );
      for (const dir of info.projectsDirs) write(`  transcripts  ${dir}`);
      write(`  config       ${info.claudeJson}`);
      write(`  ledger       ${info.ledger}`);
      write(
        `  polling      ${formatCount(info.activeIntervalMs)} ms active / ${formatCount(info.idleIntervalMs)} ms idle, watch ${info.watch}${info.watchNote === null ? '' : ` (${info.watchNote})`}`,
      );
    },
    event(event, marks) {
      switch (event.type) {
        case 'catch-up': {
          const { report } = event;
          const pass = report.pass;
          if (json) {
            emit('catch-up', {
              filesSeen: report.filesSeen,
              filesRead: pass?.files.read ?? 0,
              bytesRead: pass?.bytesRead ?? 0,
              newResponses: pass?.newResponses ?? 0,
              quarantinedLines: pass?.quarantinedLines ?? 0,
              changesRecorded: event.changesSummarised,
              durationMs: Math.round(report.durationMs),
            });
            for (const project of initialProjects(marks)) emit('initial', { ...project });
            return;
          }
          write(
            `caught up: ${formatCount(report.filesSeen)} transcript files, ${formatCount(pass?.newResponses ?? 0)} new responses (${formatCount(pass?.bytesRead ?? 0)} bytes read) in ${formatDurationMs(report.durationMs)}` +
              (event.changesSummarised > 0
                ? `; ${formatCount(event.changesSummarised)} changes recorded (ctt changes lists them)`
                : ''),
          );
          const projects = initialProjects(marks);
          if (projects.length > 0) write('initial state (last saved session per project):');
          for (const p of projects) {
            write(
              `  ${p.project}  session ${p.sessionId === null ? '—' : p.sessionId.slice(0, 8)}  input ${formatCount(p.inputTokens)}  output ${formatCount(p.outputTokens)}  cache write ${formatCount(p.cacheCreationTokens)}  cache read ${formatCount(p.cacheReadTokens)}  $${p.costUsd.toFixed(4)}`,
            );
          }
          return;
        }
        case 'poll': {
          printChanges(event.report.changes);
          if (!debug) return;
          const { report } = event;
          if (json) {
            emit('poll', {
              durationMs: Number(report.durationMs.toFixed(2)),
              filesSeen: report.filesSeen,
              filesRead: report.pass?.files.read ?? 0,
              passSkipped: report.pass === null,
              listed: report.listed,
              claudeJson: report.claudeJson,
              tornReads: report.tornReads,
              liveProcesses: report.liveProcesses,
              openSessions: report.openSessions,
              mode: event.mode,
              intervalMs: event.intervalMs,
            });
          } else {
            write(
              `  · poll ${report.durationMs.toFixed(1)} ms: ${formatCount(report.filesSeen)} files${report.pass !== null ? `, ${formatCount(report.pass.files.read)} read` : report.listed ? ' listed, unchanged' : ' unchanged (folders and recent files checked)'}, claude.json ${report.claudeJson}${report.tornReads > 0 ? ` (${report.tornReads} torn reads retried)` : ''}, ${report.liveProcesses} live, ${report.openSessions} open; next in ${event.intervalMs} ms (${event.mode})`,
            );
          }
          return;
        }
        case 'mode':
          if (json) emit('mode', { mode: event.mode, intervalMs: event.intervalMs });
          else if (debug)
            write(`  · ${event.mode}: polling every ${formatCount(event.intervalMs)} ms`);
          return;
        case 'error':
          if (json) emit('error', { ...event });
          warn(
            `ctt: ${event.errorClass} error (${event.consecutive} in a row): ${event.message}; retrying in ${formatDurationMs(event.retryInMs)}`,
          );
          return;
        case 'recovered':
          if (json) emit('recovered', { afterErrors: event.afterErrors });
          warn(
            `ctt: recovered after ${event.afterErrors} error${event.afterErrors === 1 ? '' : 's'}`,
          );
          return;
        case 'watchers':
          if (json) emit('watchers', { state: event.state });
          else if (debug || event.state.startsWith('off:')) write(`  · file events ${event.state}`);
          return;
        case 'stopping':
          if (json) emit('stopping', { signal: event.signal });
          else write(`stopping (${event.signal}): final poll and flush`);
          return;
        case 'stopped':
          if (json)
            emit('stopped', { polls: event.polls, shutdownMs: Math.round(event.shutdownMs) });
          else
            write(
              `stopped after ${formatCount(event.polls)} polls (shutdown took ${formatDurationMs(event.shutdownMs)})`,
            );
          return;
      }
    },
  };
}
