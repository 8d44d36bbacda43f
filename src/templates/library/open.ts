import type { Device } from '../../inventory/types.js';
import type { SecretStore } from '../../secrets/types.js';
import type { Db } from '../../store/store.js';
import type { TemplateEnvName } from '../engine/index.js';
import { deviceContext, mergeContext } from './context.js';
import { TemplateLibrary } from './discovery.js';
import { TemplateRenderer } from './renderer.js';
import { credentialSecretLookup, TemplateSecrets } from './secrets.js';
import { parseVarAssignments, readVarsFile } from './vars-files.js';

export interface OpenTemplatesOptions {
  db: Db;
  home: string;
  /** --templates DIR… */
  folders?: readonly string[];
  cwd?: string;
  allowUndefined?: boolean;
  /** resolves secret() from the keychain or vault; without it secret() fails */
  secrets?: () => Promise<SecretStore>;
}

/** A renderer over the template folders in search order, with settings applied. */
export async function openTemplates(options: OpenTemplatesOptions): Promise<TemplateRenderer> {
  const { readSettings } = await import('../../settings/index.js');
  const { listPlatforms } = await import('../../platforms/index.js');
  const settings = await readSettings(options.db);
  const library = TemplateLibrary.open({ folders: options.folders, settingFolders: settings.templateFolders, cwd: options.cwd, home: options.home });
  const knownPlatforms = listPlatforms().flatMap((p) => [p.name, ...(p.aliases ?? [])]);
  const secretStore = options.secrets;
  const secrets = secretStore
    ? new TemplateSecrets(
        credentialSecretLookup(async (credential) => {
          const { loadCredentialSecrets } = await import('../../credentials/index.js');
          return loadCredentialSecrets(options.db, await secretStore(), credential);
        }),
      )
    : new TemplateSecrets();
  return new TemplateRenderer({ library, defaultEnv: settings.templateEnv as TemplateEnvName, allowUndefined: options.allowUndefined, secrets, knownPlatforms });
}

export interface RenderContextOptions {
  db: Db;
  /** the device to render for; without it only the given variables are in the context */
  device?: Device;
  /** include `hostvars` (only when the template reads it: it loads the whole inventory) */
  hostvars?: boolean;
  /** --vars FILE…, in order */
  varsFiles?: readonly string[];
  /** --var key=value…, in order */
  vars?: readonly string[];
}

/** The render context: device variables and facts, then --vars files, then --var (later wins). */
export async function buildRenderContext(options: RenderContextOptions): Promise<Record<string, unknown>> {
  const layers: Record<string, unknown>[] = [];
  if (options.device) layers.push(await deviceContext(options.db, options.device, { hostvars: options.hostvars }));
  for (const file of options.varsFiles ?? []) layers.push(readVarsFile(file));
  layers.push(parseVarAssignments(options.vars));
  return mergeContext(layers);
}
