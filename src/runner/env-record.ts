// What an environment can hold, and a record to build one in.

// A record for variables keyed by names that come from users (manifests, secrets' fields,
// dotenv files, -e flags): without a prototype, `__proto__` or `constructor` is a name like any
// other instead of being dropped on assignment or read back from Object.prototype.
export function createEnvRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

// Why a value cannot be put in an environment, or undefined when it can. An environment is a
// list of NUL-terminated strings, so a value cannot hold a NUL byte (spawn refuses it with an
// error that quotes the value).
export function checkEnvValue(value: string): string | undefined {
  return value.includes('\0') ? 'value contains a NUL byte, which an environment cannot hold' : undefined;
}
