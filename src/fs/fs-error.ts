// What a failed file operation means to the user and what they can do about it, from the
// system error code alone (a message never quotes file contents).

// The failure and its fix, e.g. { what: 'disk full', code: 'ENOSPC', fix: 'free some space and retry' }.
export interface FsFailure {
  what: string;
  code: string;
  fix: string;
}

const failures: Record<string, Omit<FsFailure, 'code'>> = {
  ENOSPC: { what: 'disk full', fix: 'free some space and retry' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'free some space or raise the quota, and retry' },
  EROFS: { what: 'read-only file system', fix: 'use a writable location' },
  EACCES: { what: 'permission denied', fix: 'check the permissions of the file and its directory' },
  EPERM: { what: 'operation not permitted', fix: 'check the permissions of the file and its directory' },
  ENOENT: { what: 'no such file or directory', fix: 'check that its directory exists' },
  ENOTDIR: { what: 'not a directory', fix: 'a part of the path is a file, not a directory' },
  EISDIR: { what: 'is a directory', fix: 'give the path of a file' },
  EMFILE: { what: 'too many open files', fix: 'raise the open file limit (ulimit -n)' },
  ENFILE: { what: 'too many open files in the system', fix: 'close other programs and retry' },
  EIO: { what: 'input/output error', fix: 'check the disk' },
};

// Describes a Node fs error; an unknown code is its own description.
export function describeFsError(error: unknown): FsFailure {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'error';
  return { code, ...(failures[code] ?? { what: code, fix: 'check the file and its directory' }) };
}

// The failure as the tail of a message, e.g. "disk full (ENOSPC; free some space and retry)".
export function renderFsFailure(failure: FsFailure): string {
  return failure.what === failure.code ? `${failure.code} (${failure.fix})` : `${failure.what} (${failure.code}; ${failure.fix})`;
}
