import type { JsonObject } from '../store/storage.js';

// Parses a response body as a JSON object; anything else (empty, text, an array) is undefined.
export function parseJsonObject(body: string): JsonObject | undefined {
  if (body.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
