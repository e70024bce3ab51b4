// JSON values as the engines, the wire and the CLI see them, and the guards that narrow
// decoded input to them. One home, so that every layer means the same thing by "a JSON object".

// A value as JSON.parse returns it.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// A JSON object (not an array, not null).
export type JsonObject = { [key: string]: JsonValue };

// Is this a JSON object (not null, not an array)?
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Parses text as a JSON object (a response body); anything else (empty, not JSON, an array, a
// scalar, or nesting deeper than what would walk it can follow) is undefined.
export function parseJsonObject(text: string): JsonObject | undefined {
  if (text.trim() === '' || exceedsJsonDepth(text, maxResponseJsonDepth)) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// How deeply JSON from a client or a file may nest. JSON.parse copes with any depth, but what
// then walks the value recursively does not: JSON.stringify (storing it), the Go-style
// renderers, merge patch and the CLI's formatters run out of stack between 2,000 and 3,000
// levels, which turned a deep body into a 500 and exit 70. Go's decoder stops at 10,000; ours
// stops at 1,000, far below where any of those fail and far above any real secret, and says so
// as Go does: a 400 "error parsing JSON". `[[1]]` is 2 deep, a body `{"data":{"a":1}}` is 2.
export const maxJsonDepth = 1000;

// Responses wrap a stored value a few levels down (a secret sits at `data.data`), so a client
// reading responses allows them this much more than a request may nest.
export const maxResponseJsonDepth = maxJsonDepth + 4;

const quote = 0x22;
const backslash = 0x5c;

// Whether the JSON text (UTF-8 bytes or a string) nests objects and arrays deeper than
// `max`. It only follows brackets outside strings; whether the text is valid JSON is the
// parser's business.
export function exceedsJsonDepth(text: Uint8Array | string, max = maxJsonDepth): boolean {
  // Each level takes at least one byte: a short text cannot nest deeper than its length.
  if (text.length <= max) return false;
  const codeAt = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i] as number;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = codeAt(i);
    if (inString) {
      if (code === backslash) i++;
      else if (code === quote) inString = false;
    } else if (code === quote) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > max) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}
