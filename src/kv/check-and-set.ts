import { SecretrunError, invalidRequest } from '../errors.js';
import { decodeMap } from './field-decode.js';

// Weakly decodes `options.cas` like mapstructure: numbers, numeric strings ('' = 0), booleans,
// null = 0. Anything else is Vault's "error parsing check-and-set parameter".
export function parseCas(raw: unknown): number {
  if (raw === null) return 0;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
  if (typeof raw === 'string') {
    const text = raw === '' ? '0' : raw;
    if (/^[+-]?\d+$/.test(text)) return Number(text);
  }
  throw invalidRequest('error parsing check-and-set parameter');
}

// Enforces check-and-set on a data write or patch (Vault's validateCheckAndSetOption): a given
// `cas` must equal the key's current version (0 for a key with no versions); without one, CAS
// required at mount or key level is an error.
export function checkCas(
  options: unknown,
  mountCasRequired: boolean,
  key: { cas_required: boolean; current_version: number },
): void {
  const map = options === undefined || options === null ? {} : decodeMap(options, 'options');
  if (Object.hasOwn(map, 'cas')) {
    const cas = parseCas(map.cas);
    if (cas !== key.current_version) {
      throw new SecretrunError('invalid_request', 'check-and-set parameter did not match the current version');
    }
  } else if (mountCasRequired || key.cas_required) {
    throw invalidRequest('check-and-set parameter required for this call');
  }
}
