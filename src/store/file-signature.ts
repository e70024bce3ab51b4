import type { BigIntStats } from 'node:fs';

// Identity of the store file's bytes on disk, from stat data, and when it may be trusted.
//
// Every writer replaces the file by a rename, so a new file has new stat data, except where
// the file system's timestamps are coarse: on ext4 with 128-byte inodes (1 s timestamps) a
// writer that frees an inode and another that gets it back can leave a same-size file with the
// same inode number, mtime and ctime within one second. A long-lived process that trusted that
// never saw a CLI's acknowledged write and put the old value back with its next one. So, as
// git ("racily clean" entries) and SQLite (a change counter) do, stat data is trusted alone only
// once the file is older than the granularity of its timestamps: until then the content itself
// (the header line, which ends in a MAC over everything) is compared. Pure.

// What stat says about one file; `stampMs` is the later of mtime and ctime (a rename sets the
// ctime on Linux, so a file renamed into place later gets a later ctime even if written earlier).
export interface FileSignature {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly stampMs: number;
  /** Timestamps in whole seconds: a file system with 1 s (or FAT's 2 s) granularity. */
  readonly coarse: boolean;
}

// The signature of a file that is not there.
export const missingSignature: FileSignature = { ino: -1n, size: -1n, mtimeNs: -1n, ctimeNs: -1n, stampMs: 0, coarse: false };

// How long after its timestamp a file's stat data can be told from a later file's: at least
// the granularity, plus a margin for the kernel's coarse clock. Whole-second timestamps may be
// 1 s or 2 s (FAT) apart; sub-second ones are at most a jiffy (10 ms at HZ=100) on Linux and
// 10 ms on exFAT, so a second is ample there.
export const trustAfterMs = { coarse: 3_000, fine: 1_000 } as const;

const second = 1_000_000_000n;

// The signature of the file `info` describes.
export function buildSignature(info: BigIntStats): FileSignature {
  const coarse = info.mtimeNs % second === 0n && info.ctimeNs % second === 0n;
  const stampNs = info.mtimeNs > info.ctimeNs ? info.mtimeNs : info.ctimeNs;
  const { ino, size, mtimeNs, ctimeNs } = info;
  return { ino, size, mtimeNs, ctimeNs, stampMs: Number(stampNs / 1_000_000n), coarse };
}

// Do two signatures describe the same file (as far as stat can tell)?
export function isSameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

// May this signature alone identify the file from now on, given that its contents were
// verified (read and compared) at `verifiedAtMs`, a clock reading taken before reading them?
// Then any later file gets a later timestamp, and so a different signature.
export function isSettled(signature: FileSignature, verifiedAtMs: number): boolean {
  return verifiedAtMs - signature.stampMs >= (signature.coarse ? trustAfterMs.coarse : trustAfterMs.fine);
}
