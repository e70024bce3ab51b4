import { describe, expect, it } from 'vitest';
import { createByteQueue } from '../../../src/http/transport/byte-queue.js';

describe('createByteQueue', () => {
  it('finds and takes bytes across chunk boundaries', () => {
    const queue = createByteQueue();
    queue.push(Buffer.from('ab'));
    queue.push(Buffer.alloc(0));
    queue.push(Buffer.from('c\nd'));
    queue.push(Buffer.from('e\n'));
    expect(queue.length).toBe(7);
    expect(queue.byteAt(2)).toBe(0x63);
    expect(queue.byteAt(7)).toBeUndefined();
    expect(queue.indexOf(0x0a, 0)).toBe(3);
    expect(queue.indexOf(0x0a, 4)).toBe(6);
    expect(queue.indexOf(0x7a, 0)).toBe(-1);
    expect(queue.take(4).toString()).toBe('abc\n');
    expect(queue.take(1).toString()).toBe('d');
    expect(queue.indexOf(0x0a, 0)).toBe(1);
    expect(queue.take(2).toString()).toBe('e\n');
    expect(queue.length).toBe(0);
    expect(() => queue.take(1)).toThrow(RangeError);
  });
});
