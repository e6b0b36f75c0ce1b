import { describe, expect, it } from 'vitest';
import { measureLag, type LiveFile } from './status-lag.js';
import type { CommittedFile } from '../../store/status-queries.js';

const NOW = 1_790_000_000_000;

function committed(path: string, ino: string, byteOffset: number): CommittedFile {
  return { path, dev: '1', ino, byteOffset };
}

function live(path: string, ino: string, size: number, ageMs: number): LiveFile {
  return { path, dev: '1', ino, size, mtimeMs: NOW - ageMs };
}

describe('transcript lag', () => {
  it('is zero when every file is read to its end', () => {
    expect(measureLag([committed('/a', '10', 100)], [live('/a', '10', 100, 5000)], NOW)).toEqual({
      pendingBytes: 0,
      filesBehind: 0,
      newFiles: 0,
      filesChecked: 1,
      oldestPendingAgeMs: null,
    });
  });

  it('counts unread bytes, new files, and the oldest write among files behind', () => {
    const lag = measureLag(
      [committed('/a', '10', 100), committed('/b', '11', 50), committed('/c', '12', 70)],
      [
        live('/a', '10', 160, 3000), // 60 behind
        live('/b', '11', 50, 90_000), // caught up: its age does not count
        live('/c', '12', 70, 1000),
        live('/d', '13', 25, 20_000), // new: 25 from byte 0
        live('/e', '14', 0, 1000), // new and empty: nothing to read
      ],
      NOW,
    );
    expect(lag).toEqual({
      pendingBytes: 85,
      filesBehind: 1,
      newFiles: 1,
      filesChecked: 5,
      oldestPendingAgeMs: 20_000,
    });
  });

  it('follows a renamed file by its identity, and reads a shrunk one again from byte 0', () => {
    const lag = measureLag(
      [committed('/old-name', '10', 100), committed('/f', '11', 500)],
      [live('/new-name', '10', 130, 1000), live('/f', '11', 40, 2000)],
      NOW,
    );
    expect(lag).toMatchObject({ pendingBytes: 30 + 40, filesBehind: 2, newFiles: 0 });
  });

  it('takes a file on another device with the same inode number for a new file', () => {
    const lag = measureLag(
      [committed('/a', '10', 100)],
      [{ path: '/x', dev: '2', ino: '10', size: 100, mtimeMs: NOW }],
      NOW,
    );
    expect(lag).toMatchObject({ pendingBytes: 100, newFiles: 1, filesBehind: 0 });
  });
});
