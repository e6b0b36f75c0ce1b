/**
 * The transcript writer's child script (see transcript-writer.ts for what it does and its truth
 * file). Plain JavaScript: the child runs it with node directly, test helpers are not compiled.
 * Tokens, sizes and the order of lines come from the seed; timestamps are the wall clock.
 */
export const WRITER_SCRIPT = String.raw`
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const c = JSON.parse(process.argv[2]);
let seed = c.seed >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = ([lo, hi]) => lo + Math.floor(random() * (hi - lo + 1));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = (n, width) => n.toString(16).padStart(width, '0');
let stopping = false;
process.on('SIGTERM', () => { stopping = true; });
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001'];
const PROJECTS = ['alpha', 'beta', 'gamma'];
const processFile = join(c.sessionsDir, process.pid + '.json');
mkdirSync(c.sessionsDir, { recursive: true });
const files = [];
const truth = { lines: 0, usageLines: 0, corruptLines: 0, splitWrites: 0, replays: 0, sessionSwitches: -1, files: {} };
const finals = new Map();
const finishedLines = [];
let uuid = 0;
let responseNo = 0;

function setCurrentSession(file) {
  const tmp = join(c.sessionsDir, '.tmp-' + process.pid);
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, sessionId: file.sessionId, cwd: file.cwd, startedAt: Date.now() }));
  renameSync(tmp, processFile);
  truth.sessionSwitches++;
}
function newFile() {
  const n = files.length;
  const project = PROJECTS[n % PROJECTS.length];
  const sessionId = hex(c.seed, 8) + '-0000-4000-8000-' + hex(n, 12);
  const dir = join(c.projectsDir, '-work-' + project);
  mkdirSync(dir, { recursive: true });
  const file = { path: join(dir, sessionId + '.jsonl'), sessionId, cwd: '/work/' + project, bytes: 0, open: null };
  truth.files[file.path] = { bytes: 0, lines: 0, usageOffsets: [], corruptOffsets: [] };
  files.push(file);
  setCurrentSession(file);
  return file;
}
function envelope(file, type) {
  uuid++;
  return { parentUuid: null, isSidechain: false, userType: 'external', cwd: file.cwd, sessionId: file.sessionId,
    version: '2.1.332', gitBranch: 'main', type, uuid: hex(c.seed, 8) + '-1111-4000-8000-' + hex(uuid, 12),
    timestamp: new Date().toISOString() };
}
function userText(file) {
  return JSON.stringify({ ...envelope(file, 'user'), message: { role: 'user', content: 'step ' + uuid + ' '.repeat(between([0, 400])) } });
}
function usageText(file, stream, copy) {
  const u = stream.tokens(copy);
  const message = { model: stream.model, id: stream.messageId, type: 'message', role: 'assistant',
    content: [{ type: 'text', text: 'x'.repeat(between([20, 900])) }], stop_reason: copy === stream.copies - 1 ? 'end_turn' : null, stop_sequence: null,
    usage: { input_tokens: u.input, cache_creation_input_tokens: u.cacheWrite, cache_read_input_tokens: u.cacheRead,
      cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite - u.cacheWrite1h, ephemeral_1h_input_tokens: u.cacheWrite1h },
      output_tokens: u.output, server_tool_use: { web_search_requests: u.webSearch, web_fetch_requests: 0 }, service_tier: 'standard' } };
  const env = envelope(file, 'assistant');
  return JSON.stringify({ parentUuid: env.parentUuid, isSidechain: false, type: 'assistant', message,
    requestId: stream.requestId, uuid: env.uuid, timestamp: env.timestamp, userType: 'external', cwd: file.cwd,
    sessionId: file.sessionId, version: '2.1.332', gitBranch: 'main' });
}
function corruptText() {
  return random() < 0.5
    ? '{"type":"assistant","message":{"id":"msg_torn_' + uuid + '","usage":{"input_tokens":1'
    : 'garbage line ' + uuid + ' ]]';
}
function newStream(file) {
  responseNo++;
  const base = { input: between([1, 40]), cacheWrite: between([0, 5000]), cacheRead: between([0, 90000]), webSearch: random() < 0.05 ? 1 : 0 };
  const cacheWrite1h = random() < 0.3 ? Math.floor(base.cacheWrite / 2) : 0;
  const outputBase = between([1, 30]);
  const outputStep = between([5, 400]);
  return { file, copy: 0, copies: between([1, c.maxCopies]), model: MODELS[responseNo % MODELS.length],
    messageId: 'msg_' + hex(c.seed, 8) + hex(responseNo, 16), requestId: 'req_' + hex(c.seed, 8) + hex(responseNo, 16),
    tokens: (i) => ({ ...base, cacheWrite1h, output: outputBase + i * outputStep }) };
}
async function append(file, text) {
  const bytes = Buffer.from(text + '\n');
  const offset = file.bytes;
  if (random() < c.splitRatio) {
    // Claude Code can be caught mid-write: a prefix, a pause (polls happen), then the rest.
    const cut = 1 + Math.floor(random() * (bytes.length - 1));
    appendFileSync(file.path, bytes.subarray(0, cut));
    await sleep(between(c.splitPauseMs));
    appendFileSync(file.path, bytes.subarray(cut));
    truth.splitWrites++;
  } else {
    appendFileSync(file.path, bytes);
  }
  file.bytes += bytes.length;
  const t = truth.files[file.path];
  t.bytes = file.bytes;
  t.lines++;
  truth.lines++;
  return { offset, t };
}
async function writeOne() {
  if (files.length < c.maxFiles && (files.length < c.initialFiles || random() < 0.004)) newFile();
  const file = files[Math.floor(random() * files.length)];
  const roll = random();
  if (roll < c.corruptRatio) {
    const { offset, t } = await append(file, corruptText());
    t.corruptOffsets.push(offset);
    truth.corruptLines++;
    return;
  }
  if (roll < c.corruptRatio + c.replayRatio && finishedLines.length > 0) {
    // A finished response copied verbatim into another session's file (a resume): one more copy.
    const text = finishedLines[Math.floor(random() * finishedLines.length)];
    const { offset, t } = await append(file, text);
    t.usageOffsets.push(offset);
    truth.usageLines++;
    truth.replays++;
    return;
  }
  if (file.open === null && random() < 0.3) {
    await append(file, userText(file));
    return;
  }
  file.open ??= newStream(file);
  const stream = file.open;
  const text = usageText(file, stream, stream.copy);
  const { offset, t } = await append(file, text);
  t.usageOffsets.push(offset);
  truth.usageLines++;
  finals.set(stream.messageId, { sessionId: file.sessionId, tokens: stream.tokens(stream.copy) });
  stream.copy++;
  if (stream.copy === stream.copies) {
    file.open = null;
    finishedLines.push(text);
  }
}
function finish() {
  const zero = () => ({ responses: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheCreation1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0 });
  const totals = zero();
  const sessions = {};
  for (const { sessionId, tokens } of finals.values()) {
    sessions[sessionId] ??= zero();
    for (const sum of [totals, sessions[sessionId]]) {
      sum.responses++;
      sum.inputTokens += tokens.input;
      sum.outputTokens += tokens.output;
      sum.cacheCreationTokens += tokens.cacheWrite;
      sum.cacheCreation1hTokens += tokens.cacheWrite1h;
      sum.cacheReadTokens += tokens.cacheRead;
      sum.webSearchRequests += tokens.webSearch;
    }
  }
  rmSync(processFile, { force: true }); // Claude Code removes its process file on exit
  writeFileSync(c.truthPath + '.tmp', JSON.stringify({ ...truth, totals, sessions }));
  renameSync(c.truthPath + '.tmp', c.truthPath);
}
process.stdout.write('writing\n');
while (!stopping && truth.lines < c.maxLines) {
  for (let i = 0; i < c.burstLines && !stopping && truth.lines < c.maxLines; i++) await writeOne();
  await sleep(between(c.burstPauseMs));
}
finish();
process.stdout.write('done ' + truth.lines + '\n');
`;
