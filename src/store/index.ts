export * from './schema.js';
export { openSqliteStore, type Store, type Db, type Tx } from './store.js';
