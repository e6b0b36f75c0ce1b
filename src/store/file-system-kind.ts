/**
 * What kind of file system a folder lives on, from `statfs`'s type number (Linux magic numbers).
 * The tracker refuses a ledger on a network file system, where SQLite's WAL "does not work", and
 * turns watchers off on network and FUSE mounts, where change events are unreliable (reliability
 * §2.8, §2.9).
 */
import { statfsSync } from 'node:fs';

/** `local`: a disk; `network`: remote or VM-shared (NFS, SMB, 9p, …); `fuse`: could be either. */
export type FileSystemClass = 'local' | 'network' | 'fuse' | 'unknown';

export interface FileSystemKind {
  /** The statfs type number (Linux `f_type`). */
  readonly typeId: number;
  /** A short name, e.g. 'nfs', 'smb2', '9p', or 'other'. */
  readonly name: string;
  readonly kind: FileSystemClass;
}

// Linux magic numbers (linux/magic.h and the file systems' own headers).
const REMOTE_TYPES: ReadonlyMap<number, string> = new Map([
  [0x6969, 'nfs'],
  [0x517b, 'smb'],
  [0xff534d42, 'cifs'],
  [0xfe534d42, 'smb2'],
  // 9p: WSL's /mnt/* drives and VM shared folders.
  [0x01021997, '9p'],
  [0x5346414f, 'afs'],
  [0x6b414653, 'kafs'],
  [0x00c36400, 'ceph'],
  [0x73757245, 'coda'],
  [0x564c, 'ncp'],
  [0x47504653, 'gpfs'],
  [0x0bd00bd0, 'lustre'],
  // VirtualBox shared folders.
  [0x786f4256, 'vboxsf'],
]);

const FUSE_TYPE = 0x65735546;

/** The kind for a statfs type number; the numbers are Linux's, so other systems are 'unknown'. */
export function classifyFileSystemType(
  typeId: number,
  platform: NodeJS.Platform = process.platform,
): FileSystemKind {
  if (platform !== 'linux') return { typeId, name: 'other', kind: 'unknown' };
  const remote = REMOTE_TYPES.get(typeId);
  if (remote !== undefined) return { typeId, name: remote, kind: 'network' };
  if (typeId === FUSE_TYPE) return { typeId, name: 'fuse', kind: 'fuse' };
  return { typeId, name: 'other', kind: 'local' };
}

/** The file system holding `dir` (which must exist). */
export function fileSystemKindOf(
  dir: string,
  platform: NodeJS.Platform = process.platform,
): FileSystemKind {
  // statfs reports f_type as a signed 64-bit field on some builds: CIFS's 0xFF534D42 would come
  // back negative. `>>> 0` keeps the low 32 bits, where every magic number lives.
  const typeId = statfsSync(dir).type >>> 0;
  return classifyFileSystemType(typeId, platform);
}
