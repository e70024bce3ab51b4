import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { findJournalPosition, parseJournal, renderJournalEntry, renderJournalHeader, replayJournal } from '../../src/store/journal-format.js';
import type { JournalEntry, JournalHeader } from '../../src/store/journal-format.js';

const macKey = randomBytes(32);
const mac = (c: string) => c.repeat(43) + '=';
const header: JournalHeader = { id: 'store-id-1', store: mac('A'), state: null };

// A journal's bytes as the writer renders them.
function render(entries: readonly JournalEntry[], key = macKey, head = header): Buffer {
  const first = renderJournalHeader(head, key);
  let text = first.line;
  let state = first.state;
  for (const entry of entries) {
    const line = renderJournalEntry(entry, state);
    text += line.line;
    state = line.state;
  }
  return Buffer.from(text);
}

const set = (seq: number, ...pairs: Array<[string, string | null]>): JournalEntry => ({ seq, kind: 'set', set: pairs });
const three = [set(1, ['a', 'env-a1'], ['b', 'env-b1']), set(2, ['a', 'env-a2']), set(3, ['b', null], ['sys/token/id/x', 'env-t'])];

function integrity(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretrunError);
    expect((error as SecretrunError).code).toBe('store_integrity');
    expect((error as SecretrunError).message).toContain('/j');
    return (error as SecretrunError).message;
  }
  throw new Error('expected store_integrity');
}

describe('journal format', () => {
  it('parses what it renders, verifying the MAC chain, and replays the last change of each key', () => {
    const bytes = render(three);
    const parsed = parseJournal(bytes, macKey, '/j');
    expect(parsed.header).toEqual(header);
    expect(parsed.lastSeq).toBe(3);
    expect(parsed.validLength).toBe(bytes.length);
    const replayed = replayJournal(parsed, { store: 0, state: 0 }, (key) => key.startsWith('sys/token/'));
    expect([...replayed].map(([key, change]) => [key, change.envelope, change.seq])).toEqual([
      ['a', 'env-a2', 2],
      ['b', null, 3],
      ['sys/token/id/x', 'env-t', 3],
    ]);
  });

  it('discards a torn last line (cut short, or failing its MAC) and nothing before it', () => {
    const whole = render(three);
    const lastStart = whole.lastIndexOf(0x0a, whole.length - 2) + 1;
    for (const torn of [whole.subarray(0, whole.length - 1), whole.subarray(0, lastStart + 10), Buffer.concat([whole.subarray(0, lastStart), Buffer.from('{"seq":3,"set":[],"mac":"' + mac('B') + '"}\n')]), Buffer.concat([whole, Buffer.alloc(40)])]) {
      const parsed = parseJournal(torn, macKey, '/j');
      const expectedSeq = torn.length > whole.length ? 3 : 2;
      expect(parsed.lastSeq).toBe(expectedSeq);
      expect(parsed.validLength).toBe(expectedSeq === 3 ? whole.length : lastStart);
    }
  });

  it('refuses a bad line before the last, a reordered or dropped record, and a duplicated one', () => {
    const lines = render(three).toString().split('\n');
    const edit = (i: number, text: string) => Buffer.from(lines.map((line, j) => (j === i ? text : line)).join('\n'));
    integrity(() => parseJournal(edit(2, (lines[2] as string).replace('env-a2', 'env-zz')), macKey, '/j'));
    integrity(() => parseJournal(Buffer.from([lines[0], lines[2], lines[1], lines[3], ''].join('\n')), macKey, '/j'));
    integrity(() => parseJournal(Buffer.from([lines[0], lines[2], lines[3], ''].join('\n')), macKey, '/j'));
    integrity(() => parseJournal(Buffer.from([lines[0], lines[1], lines[1], lines[2], lines[3], ''].join('\n')), macKey, '/j'));
  });

  it('refuses a journal of another key (another store), one whose header was edited, and a non-journal', () => {
    expect(integrity(() => parseJournal(render(three, randomBytes(32)), macKey, '/j'))).toContain('another store');
    const edited = render(three).toString().replace(header.store, mac('C'));
    integrity(() => parseJournal(Buffer.from(edited), macKey, '/j'));
    integrity(() => parseJournal(Buffer.from('{"secretrun_store":1}\n'), macKey, '/j'));
    integrity(() => parseJournal(Buffer.from('{"secretrun_jour'), macKey, '/j'));
  });

  it('says a journal of a newer format needs a newer secretrun', () => {
    const bytes = Buffer.from(render([]).toString().replace('"secretrun_journal":1', '"secretrun_journal":2'));
    expect(() => parseJournal(bytes, macKey, '/j')).toThrow(expect.objectContaining({ code: 'store_format' }));
  });

  it('places each file by the header or the latest checkpoint record naming it, or not at all', () => {
    const marker: JournalEntry = { seq: 4, kind: 'checkpoint', upto: 3, store: mac('D'), state: mac('E') };
    const parsed = parseJournal(render([...three, marker, set(5, ['a', 'env-a5'], ['sys/token/id/x', null])]), macKey, '/j');
    expect(findJournalPosition(parsed, 'store', mac('A'))).toBe(0);
    expect(findJournalPosition(parsed, 'store', mac('D'))).toBe(3);
    expect(findJournalPosition(parsed, 'state', null)).toBe(0);
    expect(findJournalPosition(parsed, 'state', mac('E'))).toBe(3);
    expect(findJournalPosition(parsed, 'store', mac('F'))).toBeUndefined();
    // The store file after the checkpoint, the state file before it: each file gets what it lacks.
    const replayed = replayJournal(parsed, { store: 3, state: 0 }, (key) => key.startsWith('sys/'));
    expect(Object.fromEntries([...replayed].map(([key, change]) => [key, change.envelope]))).toEqual({ a: 'env-a5', 'sys/token/id/x': null });
  });
});

describe('journal format, hostile lines', () => {
  it('treats a last line with a MAC of the wrong length as torn, and one before it as an integrity error', () => {
    const lines = render(three).toString().split('\n');
    const bad = (lines[3] as string).replace(/"mac":"[^"]+"/, `"mac":"${'A'.repeat(44)}"`);
    expect(parseJournal(Buffer.from([...lines.slice(0, 3), bad, ''].join('\n')), macKey, '/j').lastSeq).toBe(2);
    integrity(() => parseJournal(Buffer.from([lines[0], bad, lines[2], ''].join('\n')), macKey, '/j'));
  });
});
