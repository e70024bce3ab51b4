// The generated validator is committed (typecheck and tests run without a build), so this
// test fails when someone edits the schema without regenerating it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated manifest validator', () => {
  it('is up to date with schema/secretrun.schema.json and imports nothing at run time', async () => {
    const steps = (await import(`${root}scripts/build-steps.mjs`)) as { renderManifestValidator: () => Promise<string>; manifestValidatorFile: string };
    const committed = readFileSync(`${root}${steps.manifestValidatorFile}`, 'utf8');
    expect(committed === (await steps.renderManifestValidator())).toBe(true);
    expect(committed).not.toMatch(/^import |require\(/m);
  });

  it('has a description on every property of the schema', () => {
    const schema = JSON.parse(readFileSync(`${root}schema/secretrun.schema.json`, 'utf8')) as unknown;
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      const properties = record['properties'] as Record<string, Record<string, unknown>> | undefined;
      for (const [key, property] of Object.entries(properties ?? {})) {
        const target = typeof property['$ref'] === 'string' && property['description'] === undefined ? undefined : property;
        if (!target?.['description']) missing.push(`${path}.${key}`);
      }
      for (const [key, child] of Object.entries(record)) walk(child, `${path}.${key}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });
});
