// A `~/.claude.json` storm writer (reliability §3 T13–T15), run as a child process by
// claude-json-storm.test.ts. Plain JavaScript so that Node runs it without a build step.
//
// It keeps a monotone truth (per project, sessions whose counters only grow) and rewrites the
// file the ways Claude Code does: atomic temp+rename, non-atomic truncate-and-write in chunks
// (readers see torn files), resets to `{}` or to defaults, stale backup restores, a corrupted
// file left behind, new and resumed sessions. The field names are Claude Code's own
// (claude-code-data.md §2.3), written independently of the tracker's code: this is the oracle.
//
// Protocol: argv = [file, seed, rewrites]. Writes the initial file, prints `ready`, waits for a
// line on stdin, storms (printing `progress <n>` every 1,000 rewrites), writes the true final
// state as a normal save, and prints one JSON line with the truth.
import { Buffer } from 'node:buffer';
import { closeSync, ftruncateSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';

const [file = '', seedText = '1', rewritesText = '10000'] = process.argv.slice(2);
const REWRITES = Number(rewritesText);

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(Number(seedText));
const below = (n) => Math.floor(random() * n);
const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const PROJECTS = ['/home/alice/src/webapp', '/home/alice/src/api', '/home/alice/src/infra'];
const MODELS = ['claude-opus-5-5', 'anthropic.claude-haiku-5-5-20251001-v1:0'];
/** Session totals: file key → [unit step, chance a save moves it]. */
const SESSION_KEYS = {
  lastTotalInputTokens: [1, 0.5],
  lastTotalOutputTokens: [1, 0.5],
  lastTotalCacheCreationInputTokens: [1, 0.3],
  lastTotalCacheReadInputTokens: [1, 0.6],
  lastTotalWebSearchRequests: [1, 0.05],
  lastCost: [0.01, 0.6],
  lastLinesAdded: [1, 0.2],
  lastLinesRemoved: [1, 0.1],
  lastAPIDuration: [1, 0.5],
  lastDuration: [1, 0.9],
};
const MODEL_KEYS = {
  inputTokens: [1, 0.5],
  outputTokens: [1, 0.5],
  cacheReadInputTokens: [1, 0.5],
  costUSD: [0.01, 0.5],
};
const FILLER = 'h'.repeat(6_000); // prompt history: a big file, like the real one

let sessionCount = 0;
const projects = PROJECTS.map(() => ({ sessions: [], current: -1 }));
const backups = [];
const stats = {
  rewrites: 0,
  atomic: 0,
  chunked: 0,
  resets: 0,
  stale: 0,
  corrupt: 0,
  sessions: 0,
  resumes: 0,
};

function newSession(project) {
  const session = { id: `session-${++sessionCount}`, values: {}, models: {} };
  project.sessions.push(session);
  project.current = project.sessions.length - 1;
  stats.sessions++;
  return session;
}

function grow(session) {
  const bump = (target, keys) => {
    for (const [key, [unit, chance]] of Object.entries(keys)) {
      if (random() < chance) target[key] = (target[key] ?? 0) + below(5_000) * unit;
    }
  };
  bump(session.values, SESSION_KEYS);
  for (const model of MODELS) bump((session.models[model] ??= {}), MODEL_KEYS);
}

function text() {
  const entries = {};
  projects.forEach(({ sessions, current }, i) => {
    const entry = { allowedTools: [], history: [FILLER] };
    const session = sessions[current];
    if (session !== undefined) {
      Object.assign(entry, session.values, {
        lastModelUsage: session.models,
        lastGracefulShutdown: true,
        lastVersionBase: '2.1.332',
        lastSessionId: session.id,
      });
    }
    entries[PROJECTS[i]] = entry;
  });
  return JSON.stringify({ numStartups: stats.rewrites, userID: 'u-1', projects: entries });
}

function writeAtomic(bytes, i) {
  const tmp = `${file}.tmp.${process.pid}.${i}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  stats.atomic++;
}

function writeChunked(bytes) {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, 0);
    const chunk = Math.ceil(bytes.length / 4);
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      writeSync(fd, bytes, offset, Math.min(chunk, bytes.length - offset), offset);
    }
  } finally {
    closeSync(fd);
  }
  stats.chunked++;
}

/** One rewrite; returns the text written and how long (ms) it should stay, so a poll sees it. */
function nextText() {
  const roll = random();
  if (roll < 0.01) {
    stats.resets++;
    if (random() < 0.5) return ['{}', 3];
    const defaults = Object.fromEntries(PROJECTS.map((p) => [p, { allowedTools: [] }]));
    return [JSON.stringify({ numStartups: 1, projects: defaults }), 3];
  }
  if (roll < 0.02 && backups.length > 0) {
    stats.stale++;
    return [backups[below(backups.length)], 3];
  }
  if (roll < 0.025) {
    stats.corrupt++;
    const whole = text();
    return [whole.slice(0, below(whole.length)), 2];
  }
  const project = projects[below(projects.length)];
  if (roll < 0.04 || project.current < 0) newSession(project);
  else if (roll < 0.05) {
    project.current = below(project.sessions.length);
    stats.resumes++;
  }
  grow(project.sessions[project.current]);
  const saved = text();
  if (stats.rewrites % 40 === 0) backups.push(saved); // Claude Code: at most one a minute
  if (backups.length > 5) backups.shift();
  return [saved, random() < 0.5 ? 1 : 0];
}

function storm() {
  for (let i = 0; i < REWRITES; i++) {
    const [content, holdMs] = nextText();
    const bytes = Buffer.from(content);
    if (random() < 0.5) writeAtomic(bytes, i);
    else writeChunked(bytes);
    stats.rewrites++;
    if (holdMs > 0) sleepMs(holdMs);
    if ((i + 1) % 1_000 === 0) process.stdout.write(`progress ${i + 1}\n`);
  }
  writeAtomic(Buffer.from(text()), REWRITES); // the last save: the real state
}

function truth() {
  const finals = [];
  const current = [];
  projects.forEach(({ sessions, current: index }, i) => {
    for (const session of sessions) {
      for (const [key, value] of Object.entries(session.values)) {
        finals.push([PROJECTS[i], session.id, key, value]);
      }
      for (const [model, values] of Object.entries(session.models)) {
        for (const [key, value] of Object.entries(values)) {
          finals.push([PROJECTS[i], session.id, `model:${model}:${key}`, value]);
        }
      }
    }
    if (sessions[index] !== undefined) current.push([PROJECTS[i], sessions[index].id]);
  });
  return { finals, current, stats };
}

// the first project starts with a session already saved: the tracker's baseline adopts it
grow(newSession(projects[0]));
writeFileSync(file, text());
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  lines.close();
  storm();
  process.stdout.write(`${JSON.stringify(truth())}\n`);
});
