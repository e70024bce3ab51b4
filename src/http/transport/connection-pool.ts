import type { Connection } from './connection.js';

// The connections a server holds, capped. When a new connection arrives at the cap, the one
// idle the longest is closed to make room (an idle keep-alive connection costs its client only
// a reconnect), so sockets opened and left idle cannot keep real clients out; when none is
// idle, the newcomer is refused.

// The server's set of connections.
export interface ConnectionPool {
  readonly size: number;
  add(connection: Connection): void;
  /** Makes room for one more; false when the pool is full of connections doing work. */
  makeRoom(): boolean;
  values(): IterableIterator<Connection>;
}

// Creates a pool of at most `max` connections.
export function createConnectionPool(max: number): ConnectionPool {
  const connections = new Set<Connection>();
  // Connections already told to close, still counted until their socket is gone.
  const evicted = new WeakSet<Connection>();

  const live = (): number => {
    let count = 0;
    for (const connection of connections) if (!evicted.has(connection)) count++;
    return count;
  };

  return {
    get size() {
      return connections.size;
    },
    add(connection) {
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
    },
    makeRoom() {
      if (connections.size < max || live() < max) return true;
      let oldest: Connection | undefined;
      for (const connection of connections) {
        const since = connection.idleSince;
        if (since === undefined || evicted.has(connection)) continue;
        if (oldest === undefined || since < (oldest.idleSince ?? Infinity)) oldest = connection;
      }
      if (oldest === undefined) return false;
      evicted.add(oldest);
      oldest.closeIfIdle();
      return true;
    },
    values: () => connections.values(),
  };
}
