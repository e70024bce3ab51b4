import { buildSecretStruct } from './secret-json.js';
import type { ApiSecret } from './secret-json.js';
import { renderGoYaml } from './go-yaml.js';

// `-format=yaml` (or `yml`) output of a secret: the same object as the JSON output, every
// map's keys in yaml.v2 order (ghodss/yaml goes through JSON, so struct order is lost), and
// surrounding white space trimmed as Vault does.
export function renderSecretYaml(secret: ApiSecret): string {
  return renderGoYaml(buildSecretStruct(secret)).trim();
}
