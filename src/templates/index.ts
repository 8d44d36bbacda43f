/**
 * Templates as a library: the engine (Jinja2-exact rendering), and the library around it — template
 * folders and names, sidecar metadata, variable discovery, render context, secret(), check.
 * Service stacks and MOPs use `openTemplates()` + `buildRenderContext()` + `TemplateRenderer.render()`.
 */
export { createEngine, TemplateError, TEMPLATE_ENVS, type EngineOptions, type TemplateEngine, type TemplateEnvName } from './engine/index.js';
export * from './library/index.js';
