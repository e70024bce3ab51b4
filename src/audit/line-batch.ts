import { SecretrunError } from '../errors.js';
import type { AuditSink } from './audit-sink.js';

// The audit lines of reads, appended once per turn of the event loop: every read answered in
// one turn waits for the same write(2) per device instead of making one each, as a journal's
// group commit does. Only reads wait here (they change nothing before their answer); a
// request that changes something has its request line written before it runs.

// A device as the batch sees it.
export interface BatchDevice {
  readonly sink: AuditSink;
  readonly closed: boolean;
}

// Lines waiting for the next append.
export interface LineBatch<D extends BatchDevice> {
  /** Queues one text per device; resolves with how many devices recorded it. */
  add(texts: ReadonlyMap<D, string>, what: string): Promise<number>;
}

interface Waiting<D> {
  texts: ReadonlyMap<D, string>;
  what: string;
  done: (recorded: number) => void;
}

// `failed` is told, per queued entry, each device that could not record it; `schedule` runs
// the append after the current turn's I/O callbacks (setImmediate), so that reads answered in
// that turn share it.
export function createLineBatch<D extends BatchDevice>(
  failed: (device: D, what: string, error: unknown) => void,
  schedule: (run: () => void) => void = setImmediate,
): LineBatch<D> {
  let waiting: Waiting<D>[] = [];
  const append = (): void => {
    const entries = waiting;
    waiting = [];
    const textsOf = new Map<D, string[]>();
    for (const entry of entries) {
      for (const [device, text] of entry.texts) {
        const texts = textsOf.get(device);
        if (texts === undefined) textsOf.set(device, [text]);
        else texts.push(text);
      }
    }
    const failures = new Map<D, unknown>();
    for (const [device, texts] of textsOf) {
      try {
        if (device.closed) throw new SecretrunError('internal', 'the device was disabled meanwhile');
        device.sink.write(texts.join(''));
      } catch (error) {
        failures.set(device, error);
      }
    }
    for (const entry of entries) {
      let recorded = 0;
      for (const device of entry.texts.keys()) {
        const error = failures.get(device);
        if (failures.has(device)) failed(device, entry.what, error);
        else recorded += 1;
      }
      entry.done(recorded);
    }
  };
  return {
    add(texts, what) {
      if (waiting.length === 0) schedule(append);
      return new Promise((done) => waiting.push({ texts, what, done }));
    },
  };
}
