import type { Storage } from '../../store/storage.js';
import type { LogicalRequest } from '../logical.js';

// Everything a route may use: the storage view of this request's read or transaction, the
// decoded request, and the clock (ms since epoch) so routes stay deterministic under test.
export interface RouteContext {
  storage: Storage;
  request: LogicalRequest;
  now: number;
}
