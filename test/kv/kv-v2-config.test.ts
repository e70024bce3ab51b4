import { describe, expect, it } from 'vitest';
import { readConfig, writeConfig } from '../../src/kv/kv-v2-config.js';
import { createKvHarness, errorOf } from './kv-harness.js';

describe('mount config', () => {
  it('reads defaults before anything is written', async () => {
    const kv = createKvHarness();
    expect(await kv.run((s) => readConfig(s))).toEqual({ cas_required: false, delete_version_after: '0s', max_versions: 0 });
  });

  it('writes given fields only', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, { max_versions: 5, delete_version_after: 90 }));
    await kv.run((s) => writeConfig(s, { cas_required: 'true' }));
    expect(await kv.run((s) => readConfig(s))).toEqual({ cas_required: true, delete_version_after: '1m30s', max_versions: 5 });
  });

  it('stores nothing when no field is given', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, {}));
    await kv.run((s) => writeConfig(s, { max_versions: null } ));
    expect(await kv.keys()).toEqual([]);
  });

  it('disables delete_version_after with any negative value and clears it with 0', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, { delete_version_after: '-5m' }));
    expect((await kv.run((s) => readConfig(s))).delete_version_after).toBe('-1s');
    await kv.run((s) => writeConfig(s, { delete_version_after: '2h' }));
    expect((await kv.run((s) => readConfig(s))).delete_version_after).toBe('2h0m0s');
    await kv.run((s) => writeConfig(s, { delete_version_after: '0s' }));
    expect((await kv.run((s) => readConfig(s))).delete_version_after).toBe('0s');
  });

  it('rejects bad fields before writing anything', async () => {
    const kv = createKvHarness();
    const error = await errorOf(() => kv.run((s) => writeConfig(s, { max_versions: 3, delete_version_after: 'soon' })));
    expect(error.message).toBe(
      'Field validation failed: error converting input soon for field "delete_version_after": time: invalid duration "soon"',
    );
    expect(await kv.keys()).toEqual([]);
  });
});
