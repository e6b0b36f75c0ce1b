import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hookSettings, shellWord } from './hook-settings.js';

describe('shellWord', () => {
  it.each([
    '/usr/local/bin/node',
    '/home/ann/My Tools/ctt/dist/src/main.js',
    "/home/o'brien/ledger.db",
    '/tmp/$HOME/`x`/"q"/;rm',
    '',
  ])('the shell reads %j back as exactly one word', (text) => {
    const result = spawnSync('/bin/sh', ['-c', `printf '%s|' ${shellWord(text)}`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe(`${text}|`);
  });
});

describe('hookSettings', () => {
  it('runs this node and script for the four events, the ledger named when given', () => {
    const settings = hookSettings({
      nodePath: '/opt/node/bin/node',
      scriptPath: '/opt/ctt/dist/src/main.js',
      dbPath: '/data/my ledger.db',
    });
    expect(settings).toEqual({
      hooks: {
        SessionStart: [
          {
            hooks: [
              {
                type: 'command',
                command:
                  "/opt/node/bin/node /opt/ctt/dist/src/main.js hook session-start --db '/data/my ledger.db'",
                async: true,
              },
            ],
          },
        ],
        SessionEnd: [
          {
            hooks: [
              {
                type: 'command',
                command:
                  "/opt/node/bin/node /opt/ctt/dist/src/main.js hook session-end --db '/data/my ledger.db'",
                timeout: 10,
              },
            ],
          },
        ],
        Stop: [
          {
            hooks: [
              {
                type: 'command',
                command:
                  "/opt/node/bin/node /opt/ctt/dist/src/main.js hook stop --db '/data/my ledger.db'",
                async: true,
              },
            ],
          },
        ],
        SubagentStop: [
          {
            hooks: [
              {
                type: 'command',
                command:
                  "/opt/node/bin/node /opt/ctt/dist/src/main.js hook subagent-stop --db '/data/my ledger.db'",
                async: true,
              },
            ],
          },
        ],
      },
    });
    const plain = hookSettings({ nodePath: '/n', scriptPath: '/s.js' });
    expect(plain.hooks['Stop']?.[0]?.hooks[0]?.command).toBe('/n /s.js hook stop');
  });
});
