import { invalidRequest, SecretrunError } from '../errors.js';
import { compileGoTemplate, type GoTemplate } from '../go/text-template.js';
import type { PluginInfo } from './plugin-catalog.js';
import { buildTemplateFunctions, type TemplateEffects } from './template-functions.js';

// Dynamic user names, as Vault's database plugins make them: a Go template over the requesting
// token's display name and the role name (`username_template`, or the plugin's default).

// Who a user name is for (dbplugin.UsernameMetadata).
export interface UsernameMetadata {
  displayName: string;
  roleName: string;
}

// Generates user names for one connection.
export interface UsernameGenerator {
  generate(metadata: UsernameMetadata): string;
}

function execute(template: GoTemplate, metadata: UsernameMetadata): { ok: true; value: string } | { ok: false; error: string } {
  return template.execute({ typeName: 'dbplugin.UsernameMetadata', fields: { DisplayName: metadata.displayName, RoleName: metadata.roleName } });
}

// Compiles the connection's template (or the plugin's default) and tries it once with empty
// metadata, as Vault's Initialize does, so a broken template is refused when the connection is
// written rather than on the first credentials read.
export function createUsernameGenerator(template: string | undefined, plugin: PluginInfo, effects: TemplateEffects): UsernameGenerator {
  const text = template === undefined || template === '' ? plugin.defaultUsernameTemplate : template;
  const compiled = compileGoTemplate(text, buildTemplateFunctions(effects));
  if (!compiled.ok) throw invalidRequest(`unable to initialize username template: unable to parse template: ${compiled.error}`);
  const trial = execute(compiled.value, { displayName: '', roleName: '' });
  if (!trial.ok) throw invalidRequest(`invalid username template: unable to apply template: ${trial.error}`);
  return {
    generate(metadata) {
      const result = execute(compiled.value, metadata);
      if (!result.ok) throw invalidRequest(`unable to apply template: ${result.error}`);
      const name = result.value;
      if (name === '') throw invalidRequest('username_template produced an empty user name');
      const bytes = Buffer.byteLength(name, 'utf8');
      if (plugin.maxUsernameBytes !== undefined && bytes > plugin.maxUsernameBytes) {
        throw new SecretrunError('invalid_request', `username_template produced a user name of ${bytes} bytes; ${plugin.name} allows at most ${plugin.maxUsernameBytes}`, {
          hint: `end the template with "| truncate ${plugin.maxUsernameBytes}"`,
        });
      }
      return name;
    },
  };
}
