// JSON as Go's encoding/json writes it: `<`, `>` and `&` escaped (Vault's bodies are produced
// by Go, and clients that compare bytes — or humans diffing — should see the same text).
export function renderGoJson(value: unknown, indent?: string): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
