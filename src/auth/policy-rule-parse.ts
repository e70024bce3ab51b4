import type { JsonObject, JsonValue } from '../json.js';
import { nanosPerSecond, parseGoDuration } from '../go/duration.js';
import { capabilityNames, isCapability, legacyPolicies, type Capability, type LegacyPolicy, type ParameterRule, type PathRule, type WrappingTtl } from './policy.js';
import { describeValue, policySyntaxError, type Position, type SyntaxBody, type SyntaxItem, type SyntaxValue } from './syntax-tree.js';

// The keys of one `path` block, checked as policy.go checks them: the capability names, the
// legacy `policy` word, parameter constraints and wrapping TTL bounds. Keys Vault knows but
// secretrun cannot enforce (Enterprise MFA and control groups) are refused, never ignored: a
// policy applied only in part would grant more than its author meant.

const ruleKeys = ['capabilities', 'policy', 'comment', 'required_parameters', 'allowed_parameters', 'denied_parameters', 'min_wrapping_ttl', 'max_wrapping_ttl', 'subscribe_event_types'];
const enterpriseKeys = new Set(['mfa_methods', 'control_group']);

type Fail = (pos: Position, reason: string, hint?: string) => never;

// Reads a block's keys into a rule (without its layout).
export function parseRuleBody(written: string, path: string, body: SyntaxBody): PathRule {
  const shown = `path ${JSON.stringify(written)}`;
  const fail: Fail = (pos, reason, hint) => {
    throw policySyntaxError(pos, `${shown}: ${reason}`, hint);
  };
  const rule: PathRule = { path };
  const seen = new Set<string>();
  let maxTtlPos: Position | undefined;
  for (const item of body.items) {
    const key = item.keys[0]?.name ?? '';
    const extra = item.keys[1];
    if (extra !== undefined) fail(extra.pos, `unexpected label ${JSON.stringify(extra.name)} after ${key}`);
    if (enterpriseKeys.has(key)) fail(item.pos, `${key} is a Vault Enterprise feature secretrun does not enforce`, `Remove ${key}: secretrun refuses a policy it could apply only in part.`);
    if (!ruleKeys.includes(key)) fail(item.pos, `invalid key ${JSON.stringify(key)}`, `A path block takes ${ruleKeys.join(', ')}.`);
    if (seen.has(key)) fail(item.pos, `duplicate key ${JSON.stringify(key)}`, 'Write each key once per path block.');
    seen.add(key);
    const value = item.value;
    switch (key) {
      case 'capabilities':
        rule.capabilities = readStrings(value, key, fail).map((name, index) => checkCapability(name, positionOf(value, index), fail));
        break;
      case 'policy':
        rule.policy = checkLegacyPolicy(readString(value, key, fail), value.pos, fail);
        break;
      case 'comment':
        rule.comment = readString(value, key, fail);
        break;
      case 'required_parameters':
        rule.requiredParameters = readStrings(value, key, fail);
        rule.requiredParameters.forEach((name, index) => {
          if (name.includes('*')) fail(positionOf(value, index), `required_parameters: parameter key ${JSON.stringify(name)}: wildcard is not permitted here`);
        });
        break;
      case 'allowed_parameters':
      case 'denied_parameters': {
        const rules = readParameters(value, key, fail);
        if (key === 'allowed_parameters') rule.allowedParameters = rules;
        else rule.deniedParameters = rules;
        break;
      }
      case 'min_wrapping_ttl':
        rule.minWrappingTtl = readWrappingTtl(value, key, fail);
        break;
      case 'max_wrapping_ttl':
        rule.maxWrappingTtl = readWrappingTtl(value, key, fail);
        maxTtlPos = item.pos;
        break;
      default:
        rule.subscribeEventTypes = readStrings(value, key, fail);
    }
  }
  const min = rule.minWrappingTtl?.seconds ?? 0;
  const max = rule.maxWrappingTtl?.seconds ?? 0;
  if (min !== 0 && max !== 0 && max < min && maxTtlPos !== undefined) fail(maxTtlPos, 'max_wrapping_ttl cannot be less than min_wrapping_ttl');
  return rule;
}

function positionOf(value: SyntaxValue, index: number): Position {
  return value.kind === 'list' ? (value.items[index]?.pos ?? value.pos) : value.pos;
}

function readString(value: SyntaxValue, key: string, fail: Fail): string {
  if (value.kind !== 'string') fail(value.pos, `${key} must be a string, found ${describeValue(value)}`);
  return value.value;
}

function readStrings(value: SyntaxValue, key: string, fail: Fail): string[] {
  if (value.kind !== 'list') fail(value.pos, `${key} must be a list of strings, found ${describeValue(value)}`, `Write ${key} = ["..."], even for one value.`);
  return value.items.map((element) => {
    if (element.kind !== 'string') fail(element.pos, `${key} must be a list of strings, found ${describeValue(element)} in it`);
    return element.value;
  });
}

function checkCapability(name: string, pos: Position, fail: Fail): Capability {
  if (!isCapability(name)) fail(pos, `invalid capability ${JSON.stringify(name)}`, `Capabilities are ${capabilityNames.join(', ')}.`);
  return name;
}

function checkLegacyPolicy(word: string, pos: Position, fail: Fail): LegacyPolicy {
  if (!Object.hasOwn(legacyPolicies, word)) fail(pos, `invalid policy ${JSON.stringify(word)}`, 'The legacy policy key takes deny, read, write or sudo; prefer capabilities = [...].');
  return word as LegacyPolicy;
}

// `{ "name" = [values...] }`: parameter names may be `*` alone (any other parameter), never a
// partial glob; `*` takes only `[]`; names differing only in case are the same parameter to
// Vault (it lower-cases them), so writing both is refused rather than resolved at random.
function readParameters(value: SyntaxValue, key: string, fail: Fail): ParameterRule[] {
  if (value.kind !== 'object') fail(value.pos, `${key} must be a map of parameter names to lists of values, found ${describeValue(value)}`, `Write ${key} = { "name" = ["value", ...] }.`);
  const seen = new Set<string>();
  return value.body.items.map((item: SyntaxItem) => {
    const name = item.keys[0]?.name ?? '';
    const extra = item.keys[1];
    if (extra !== undefined) fail(extra.pos, `${key}: unexpected label ${JSON.stringify(extra.name)} after ${JSON.stringify(name)}`);
    if (name.includes('*') && name !== '*') fail(item.pos, `${key}: parameter key ${JSON.stringify(name)} cannot contain a glob`, 'A parameter name is exact, or "*" alone for every other parameter.');
    if (seen.has(name.toLowerCase())) fail(item.pos, `${key}: duplicate parameter ${JSON.stringify(name)} (names are compared without case)`);
    seen.add(name.toLowerCase());
    if (item.value.kind !== 'list') fail(item.value.pos, `${key}: parameter ${JSON.stringify(name)} must map to a list of values, found ${describeValue(item.value)}`, 'Write [] for any value, or ["a", "b*"] for some.');
    if (name === '*' && item.value.items.length > 0) fail(item.value.pos, `${key}: "*" takes only [] (it stands for every other parameter, with any value)`);
    return { name, values: item.value.items.map((element) => toJson(element, key, fail)) };
  });
}

function toJson(value: SyntaxValue, key: string, fail: Fail): JsonValue {
  if (value.kind === 'list') return value.items.map((element) => toJson(element, key, fail));
  if (value.kind !== 'object') return value.value;
  const object: JsonObject = {};
  for (const item of value.body.items) {
    const name = item.keys[0]?.name ?? '';
    if (item.keys.length > 1 || Object.hasOwn(object, name)) fail(item.pos, `${key}: unexpected key ${JSON.stringify(name)} in a value`);
    Object.defineProperty(object, name, { value: toJson(item.value, key, fail), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

// parseutil.ParseDurationSecond: whole seconds as a number or numeric string, `<n>d` days, or
// Go duration syntax; Vault's message when it fails.
function readWrappingTtl(value: SyntaxValue, key: string, fail: Fail): WrappingTtl {
  if (value.kind === 'number') return { written: value.value, seconds: Math.trunc(value.value) };
  if (value.kind !== 'string') fail(value.pos, `error parsing ${key}: expected a duration such as "90s", found ${describeValue(value)}`);
  const text = value.value;
  if (text === '') return { written: text, seconds: 0 };
  if (/^[+-]?[0-9]+$/.test(text)) return { written: text, seconds: Number(text) };
  if (/^[+-]?[0-9]+d$/.test(text)) return { written: text, seconds: Number(text.slice(0, -1)) * 86_400 };
  const parsed = parseGoDuration(text);
  if (!parsed.ok) fail(value.pos, `error parsing ${key}: ${parsed.error}`, 'Write a duration such as "90s", "5m" or "1h", or a number of seconds.');
  return { written: text, seconds: Number(parsed.value / nanosPerSecond) + Number(parsed.value % nanosPerSecond) / 1e9 };
}
