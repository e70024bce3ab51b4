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

// Parses text as a JSON object; anything else (empty, not JSON, an array, a scalar) is undefined.
export function parseJsonObject(text: string): JsonObject | undefined {
  if (text.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
