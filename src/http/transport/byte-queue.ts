// A FIFO of received bytes kept as the chunks the socket delivered. The request parser
// consumes it piecewise; keeping chunks (instead of concatenating on every arrival) keeps a
// large body received in many small TCP segments linear in its size.

// What the request parser needs from the bytes a connection has received but not consumed.
export interface ByteQueue {
  readonly length: number;
  push(chunk: Buffer): void;
  /** The byte at `index` (0 = oldest unconsumed byte), or undefined past the end. */
  byteAt(index: number): number | undefined;
  /** Index of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number;
  /** Removes and returns the first `count` bytes (count <= length). */
  take(count: number): Buffer;
}

// Creates an empty queue.
export function createByteQueue(): ByteQueue {
  const chunks: Buffer[] = [];
  let length = 0;

  // Finds the chunk holding absolute index `index`: [chunk position, offset inside it].
  const locate = (index: number): [number, number] | undefined => {
    let rest = index;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as Buffer;
      if (rest < chunk.length) return [i, rest];
      rest -= chunk.length;
    }
    return undefined;
  };

  return {
    get length() {
      return length;
    },
    push(chunk) {
      if (chunk.length === 0) return;
      chunks.push(chunk);
      length += chunk.length;
    },
    byteAt(index) {
      const at = locate(index);
      return at === undefined ? undefined : (chunks[at[0]] as Buffer)[at[1]];
    },
    indexOf(byte, from) {
      const at = locate(from);
      if (at === undefined) return -1;
      let base = from - at[1];
      let offset = at[1];
      for (let i = at[0]; i < chunks.length; i++) {
        const chunk = chunks[i] as Buffer;
        const found = chunk.indexOf(byte, offset);
        if (found !== -1) return base + found;
        base += chunk.length;
        offset = 0;
      }
      return -1;
    },
    take(count) {
      if (count > length) throw new RangeError(`take(${count}) past the end of ${length} queued bytes`);
      const parts: Buffer[] = [];
      let need = count;
      while (need > 0) {
        const chunk = chunks[0] as Buffer;
        if (chunk.length <= need) {
          parts.push(chunk);
          chunks.shift();
          need -= chunk.length;
        } else {
          parts.push(chunk.subarray(0, need));
          chunks[0] = chunk.subarray(need);
          need = 0;
        }
      }
      length -= count;
      return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, count);
    },
  };
}
