/** NetStacks as a library: everything the CLI does is callable from here. */
export * from './core/errors.js';
export { resolveHome } from './core/paths.js';
export { openSqliteStore, type Store } from './store/index.js';
export type * from './inventory/types.js';
export * as templates from './templates/index.js';
export * from './locks/index.js';
export * from './scheduler/index.js';
export * as backups from './backups/index.js';
