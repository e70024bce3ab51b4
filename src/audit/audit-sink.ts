import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { describeFsError, renderFsFailure } from '../fs/fs-error.js';
import type { DeviceConfig } from './device-options.js';

// Where an audit device's lines go: the effects of a device. Writes are synchronous appends,
// made inside the request's store transaction before the request is served (a request no
// device recorded is refused); each line is one write(2) on a descriptor opened with O_APPEND,
// so lines of several processes sharing the file do not interleave, and nothing is fsynced:
// audit lines reach the page cache, as Vault's file device leaves them (bench/server.mjs).

// One device's output.
export interface AuditSink {
  /** Appends a line; throws a SecretrunError naming the file and the failure. */
  write(line: string): void;
  /** Closes and opens the file again (SIGHUP, after log rotation). */
  reopen(): void;
  close(): void;
  /** What it writes to, for error lines: `file /var/log/audit.log`, `stdout`. */
  readonly target: string;
}

function sinkError(target: string, action: string, error: unknown): SecretrunError {
  return new SecretrunError('internal', `cannot ${action} audit log ${target}: ${renderFsFailure(describeFsError(error))}`, { cause: error });
}

// Whether a file's last byte is a line break; true when it cannot be read (the device needs
// only to append, and a file it may not read is no reason to refuse it).
function endsWithNewline(path: string, size: number): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// Opens (creating it and its directory when missing) the file a device appends to; throws when
// it cannot, so a device that could never write is refused when it is enabled.
export function openFileSink(path: string, mode: number | undefined): AuditSink {
  const target = `file ${path}`;
  const open = (): number => {
    try {
      let fd: number;
      try {
        fd = openSync(path, 'a', mode ?? 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        fd = openSync(path, 'a', mode ?? 0o600);
      }
      const stat = fstatSync(fd);
      // An existing file gets the device's mode too, as in Vault (not /dev/null and the like).
      if (mode !== undefined && stat.isFile()) fchmodSync(fd, mode);
      if (stat.isFile() && stat.size > 0 && !endsWithNewline(path, stat.size)) torn = true;
      return fd;
    } catch (error) {
      throw sinkError(target, 'open', error);
    }
  };
  // Set when the file ends in part of a line (a disk that filled mid-line, in this process or
  // another): the next line then starts on a line of its own, so only the torn one is unreadable.
  let torn = false;
  let fd: number | undefined = open();
  const close = (): void => {
    if (fd === undefined) return;
    const closing = fd;
    fd = undefined;
    try {
      closeSync(closing);
    } catch {
      // A descriptor that will not close is dropped all the same.
    }
  };
  return {
    target,
    write(line) {
      const text = torn ? `\n${line}` : line;
      let bytes: Buffer | undefined;
      let at = 0;
      const appendRest = (): void => {
        fd ??= open();
        if (bytes === undefined) {
          // The string as it is first (no copy into a Buffer); a short write goes on from a Buffer.
          const length = Buffer.byteLength(text);
          at = writeSync(fd, text);
          if (at === length) return;
          bytes = Buffer.from(text);
        }
        while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      };
      try {
        appendRest();
      } catch {
        // As Vault's file sink: reopen once (the file may have been removed or rotated) and
        // write what is left; a second failure is the device's failure.
        close();
        try {
          appendRest();
        } catch (error) {
          close();
          if (at > 0) torn = true;
          throw error instanceof SecretrunError ? error : sinkError(target, 'write', error);
        }
      }
      torn = false;
    },
    reopen() {
      close();
      fd = open();
    },
    close,
  };
}

// The server's stdout (`file_path=-` or `stdout`), through the writer it is given.
export function createStreamSink(target: string, write: (text: string) => void): AuditSink {
  return {
    target,
    write(line) {
      try {
        write(line);
      } catch (error) {
        throw sinkError(target, 'write', error);
      }
    },
    reopen() {},
    close() {},
  };
}

// `file_path=discard`: records nothing and never fails, as in Vault.
export const discardSink: AuditSink = { target: 'discard', write() {}, reopen() {}, close() {} };

// The sink a device's options describe; `stdout` is the process's stdout writer.
export function openSink(config: DeviceConfig, stdout: (text: string) => void): AuditSink {
  switch (config.target.kind) {
    case 'file':
      return openFileSink(config.target.path, config.mode);
    case 'stdout':
      return createStreamSink('stdout', stdout);
    case 'discard':
      return discardSink;
  }
}
