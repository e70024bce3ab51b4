import { randomUUID } from 'node:crypto';
import { SecretrunError } from '../errors.js';
import { formatTimestamp } from '../kv/timestamp.js';
import type { Storage } from '../store/storage.js';
import { renderAuditLine, renderRequestParts, type AuditedResponse, type AuditIdentity, type AuditRecord, type EntryFormat, type RequestParts, renderResponsePart } from './audit-entry.js';
import { createHasher } from './audit-hash.js';
import { buildAuditRecord, renderAuditError, type AuditRequestEvent } from './audit-record.js';
import { openSink, type AuditSink } from './audit-sink.js';
import { createLineBatch } from './line-batch.js';
import { readAuditSalt, readAuditTable, type AuditDevice, type AuditTable } from './audit-table.js';
import { checkDeviceOptions } from './device-options.js';

// The audit devices of one process (Vault's audit broker): it follows the store's device
// table, opening each device's file once and reusing it until the table changes (another
// process may enable or disable devices: a device is known by its uuid), and writes every
// request and response to each device. Vault's rule holds: a request no device could record
// is refused before it is served, and a response no device could record becomes an error.

// How the broker reaches the process.
export interface AuditBrokerOptions {
  /** The process's stdout, for devices with `file_path=-` (the server's own stdout). */
  stdout: (text: string) => void;
  /** Told, one line each and never a value, when a device could not record something. */
  report: (line: string) => void;
  /** Milliseconds since the epoch, for the entries' `time`. */
  now?: () => number;
  /** Who the in-process CLI acts as (it holds the store key); undefined on the server. */
  local?: AuditIdentity;
}

// Records the response of one begun request.
export interface AuditResponseRecorder {
  /** A promise when the request's line waited: the lines are then appended with those of the
   * other reads of this turn, and it rejects when no device recorded them. */
  end(response: AuditedResponse | undefined, error: unknown, mountType: string | undefined): void | Promise<void>;
  /** Writes the request's line now if it waited for the response's; throws when no device could. */
  flush(): void;
}

// The broker: the handler's `audit` hook, plus what the enable route and SIGHUP need.
export interface AuditBroker {
  /** Records a request in the request's read or transaction; throws when no device could.
   * With `wait`, the request's line is written with the response's (one append per device),
   * or by `flush`: for requests that cannot change anything before their answer. */
  begin(storage: Storage, event: AuditRequestEvent, wait?: boolean): AuditResponseRecorder | undefined;
  /** Opens a device about to be enabled and writes Vault's test entry; throws when it cannot. */
  probe(path: string, device: AuditDevice): void;
  /** Reopens every file (log rotation); failures are reported, and refused at the next write. */
  reopen(): void;
  close(): void;
}

interface OpenDevice {
  path: string;
  uuid: string;
  sink: AuditSink;
  format: EntryFormat;
  prefix: string;
  closed: boolean;
}

// Vault's answer to a request no enabled device could record (ErrInternalError to the client).
function notRecorded(what: 'request' | 'response'): SecretrunError {
  return new SecretrunError('internal', `no audit device could record the ${what}`);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}

// Creates the broker of a process.
export function createAuditBroker(options: AuditBrokerOptions): AuditBroker {
  const now = options.now ?? Date.now;
  const devices = new Map<string, OpenDevice>();

  const closeDevice = (device: OpenDevice): void => {
    device.closed = true;
    device.sink.close();
    devices.delete(device.path);
  };

  // `what` completes "audit device "file/" could not ...".
  const failed = (path: string, what: string, error: unknown): void => {
    options.report(`audit device ${JSON.stringify(path)} could not ${what}: ${oneLine(error)}`);
  };

  // Opens a device as the table describes it; the salt comes from the store.
  const openDevice = (storage: Storage, path: string, device: AuditDevice): OpenDevice => {
    const config = checkDeviceOptions(device.options);
    const salt = config.logRaw ? undefined : readAuditSalt(storage, device);
    if (!config.logRaw && salt === undefined) throw new SecretrunError('internal', `the salt of audit device ${path} is missing from the store`);
    const sink = openSink(config, options.stdout);
    const format = { hash: salt === undefined ? undefined : createHasher(salt), hmacAccessor: config.hmacAccessor, elideListResponses: config.elideListResponses };
    return { path, uuid: device.uuid, sink, format, prefix: config.prefix, closed: false };
  };

  // The open devices for the table this request sees; those that cannot open are reported
  // and left out (they are tried again by the next request).
  const sync = (storage: Storage, table: AuditTable, requestId: string): OpenDevice[] => {
    for (const device of [...devices.values()]) {
      if (table[device.path]?.uuid !== device.uuid) closeDevice(device);
    }
    const ready: OpenDevice[] = [];
    for (const [path, entry] of Object.entries(table)) {
      let device = devices.get(path);
      if (device === undefined) {
        try {
          device = openDevice(storage, path, entry);
        } catch (error) {
          failed(path, `record request ${requestId}`, error);
          continue;
        }
        devices.set(path, device);
      }
      ready.push(device);
    }
    return ready;
  };

  const batch = createLineBatch<OpenDevice>((device, what, error) => failed(device.path, what, error));

  // Writes one line per device; returns how many devices recorded it.
  const writeAll = (targets: readonly OpenDevice[], what: string, render: (device: OpenDevice) => string): number => {
    let recorded = 0;
    for (const device of targets) {
      if (device.closed) continue;
      try {
        device.sink.write(render(device));
        recorded += 1;
      } catch (error) {
        failed(device.path, what, error);
      }
    }
    return recorded;
  };

  return {
    begin(storage, event, wait = false) {
      const table = readAuditTable(storage);
      if (Object.keys(table).length === 0) {
        if (devices.size > 0) for (const device of [...devices.values()]) closeDevice(device);
        return undefined;
      }
      const targets = sync(storage, table, event.request.id);
      const record: AuditRecord = buildAuditRecord(storage, event, options.local);
      const requestError = renderAuditError(event.error);
      const rendered = new Map<OpenDevice, RequestParts>();
      const partsOf = (device: OpenDevice): RequestParts => {
        let parts = rendered.get(device);
        if (parts === undefined) {
          parts = renderRequestParts(record, device.format);
          rendered.set(device, parts);
        }
        return parts;
      };
      const requestTime = formatTimestamp(now());
      const requestLine = (device: OpenDevice): string =>
        renderAuditLine(device.prefix, { time: requestTime, type: 'request', parts: partsOf(device), error: requestError });
      // The request's line not yet written (it waits for the response's), or false.
      let waiting = wait;
      const writeRequest = (): void => {
        waiting = false;
        if (writeAll(targets, `record request ${record.id}`, requestLine) === 0) throw notRecorded('request');
      };
      if (!waiting) writeRequest();
      return {
        end(response, error, mountType) {
          const open = targets.filter((device) => !device.closed);
          if (open.length === 0) {
            if (waiting) throw notRecorded('request');
            return undefined;
          }
          const responseError = renderAuditError(error) ?? requestError;
          const responseLine = (device: OpenDevice): string =>
            renderAuditLine(device.prefix, {
              time: formatTimestamp(now()),
              type: 'response',
              parts: partsOf(device),
              response: renderResponsePart(record, response, mountType, device.format),
              error: responseError,
            });
          if (waiting) {
            waiting = false;
            const texts = new Map(open.map((device) => [device, requestLine(device) + responseLine(device)]));
            return batch.add(texts, `record request ${record.id}`).then((recorded) => {
              if (recorded === 0) throw notRecorded('request');
            });
          }
          if (writeAll(open, `record the response to request ${record.id}`, responseLine) === 0) throw notRecorded('response');
          return undefined;
        },
        flush() {
          if (waiting) writeRequest();
        },
      };
    },

    probe(path, device) {
      let sink: AuditSink | undefined;
      try {
        const config = checkDeviceOptions(device.options);
        sink = openSink(config, options.stdout);
        // Vault's test entry, hashed with a salt of its own that is never kept.
        const format = { hash: config.logRaw ? undefined : createHasher(randomUUID()), hmacAccessor: config.hmacAccessor, elideListResponses: false };
        const record: AuditRecord = {
          id: randomUUID(),
          operation: 'update',
          path: 'sys/audit/test',
          data: {},
          clientToken: undefined,
          identity: { tokenType: 'default' },
          mount: undefined,
          remoteAddress: '',
          remotePort: 0,
          storedNumbers: 'none',
        };
        sink.write(renderAuditLine(config.prefix, { time: formatTimestamp(now()), type: 'request', parts: renderRequestParts(record, format) }));
      } catch (error) {
        if (error instanceof SecretrunError && error.code === 'invalid_request') throw error;
        throw new SecretrunError('invalid_request', `audit backend failed test message: ${oneLine(error)}`, { hint: `Check that ${path} can write where its file_path points.` });
      } finally {
        sink?.close();
      }
    },

    reopen() {
      for (const device of devices.values()) {
        try {
          device.sink.reopen();
        } catch (error) {
          failed(device.path, 'reopen its file after SIGHUP', error);
        }
      }
    },

    close() {
      for (const device of [...devices.values()]) closeDevice(device);
    },
  };
}
