// JSON as Go's encoding/json writes it: `<`, `>` and `&` escaped (Vault's bodies are produced
// by Go, and clients that compare bytes — or humans diffing — should see the same text).
export function renderGoJson(value: unknown, indent?: string): string {
  const text = JSON.stringify(value, null, indent);
  // One scan in the common case where there is nothing to escape.
  if (!/[<>&\u2028\u2029]/.test(text)) return text;
  return text
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
