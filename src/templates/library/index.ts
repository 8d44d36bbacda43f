export {
  TemplateLibrary,
  resolveTemplateFolders,
  folderOriginLabel,
  normalizeName,
  templateNameOf,
  sidecarPath,
  type TemplateEntry,
  type TemplateFolder,
  type TemplateFolderOptions,
  type TemplateFolderOrigin,
} from './discovery.js';
export { TemplateNotFoundError, TemplateFolderError, TemplateMetaError, TemplateVarsError, formatPosition, type SourcePosition } from './errors.js';
export { readTemplateMeta, parseTemplateMeta, TEMPLATE_TYPES, type TemplateMeta, type TemplateType } from './meta.js';
export { discoverVariables, BUILTIN_GLOBALS, type VariableReport, type TemplateVariable, type VariablePath, type AstNode } from './variables.js';
export { readVarsFile, parseVars, parseVarAssignments } from './vars-files.js';
export { DEVICE_FACT_NAMES, deviceFacts, deviceLayer, deviceContext, deviceContexts, lazyHostvars, mergeContext } from './context.js';
export { TemplateSecrets, credentialSecretLookup, renderWithSecrets, SECRET_FIELDS, type SecretLookup, type TemplateSecretField } from './secrets.js';
export { TemplateRenderer, missingPaths, pathExists, type RenderResult, type RenderOptions, type TemplateRendererOptions } from './renderer.js';
export { checkTemplates, namedUses, type CheckProblem, type CheckReport, type CheckProblemKind } from './check.js';
export { openTemplates, buildRenderContext, type OpenTemplatesOptions, type RenderContextOptions } from './open.js';
