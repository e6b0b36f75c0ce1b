import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { classifyFileSystemType, fileSystemKindOf } from './file-system-kind.js';

describe('file system kind', () => {
  it('knows the network and remote file systems by their Linux magic numbers', () => {
    const cases: [number, string][] = [
      [0x6969, 'nfs'],
      [0x517b, 'smb'],
      [0xff534d42, 'cifs'],
      [0xfe534d42, 'smb2'],
      [0x01021997, '9p'],
      [0x5346414f, 'afs'],
      [0x00c36400, 'ceph'],
    ];
    for (const [typeId, name] of cases) {
      expect(classifyFileSystemType(typeId, 'linux')).toEqual({ typeId, name, kind: 'network' });
    }
  });

  it('tells FUSE apart, and takes everything else for a local disk', () => {
    expect(classifyFileSystemType(0x65735546, 'linux')).toMatchObject({
      name: 'fuse',
      kind: 'fuse',
    });
    expect(classifyFileSystemType(0xef53, 'linux').kind).toBe('local'); // ext4
    expect(classifyFileSystemType(0x01021994, 'linux').kind).toBe('local'); // tmpfs
  });

  it('does not guess on systems whose type numbers mean something else', () => {
    expect(classifyFileSystemType(0x6969, 'darwin').kind).toBe('unknown');
  });

  it('reads a real folder', () => {
    const kind = fileSystemKindOf(tmpdir());
    expect(kind.typeId).toBeGreaterThanOrEqual(0);
    expect(['local', 'network', 'fuse', 'unknown']).toContain(kind.kind);
    expect(() => fileSystemKindOf('/no/such/folder/anywhere')).toThrow();
  });
});
