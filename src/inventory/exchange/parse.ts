import { extname } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { InventoryDocument, InventoryFormat } from './document.js';
import { parseCsvInventory } from './parse-csv.js';
import { parseYamlInventory } from './parse-yaml.js';

/** The format a file name implies: .yaml/.yml/.json are YAML (JSON is YAML), .csv is CSV. */
export function formatOf(path: string): InventoryFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return 'yaml';
  if (ext === '.csv') return 'csv';
  throw new UsageError(`cannot tell the format of '${path}' from its extension`, 'name the file *.yaml, *.yml, *.json or *.csv');
}

/** Parses and validates an inventory file; ValidationError names file, line, column, entry and field. */
export function parseInventoryFile(path: string, text: string): InventoryDocument {
  return formatOf(path) === 'csv' ? parseCsvInventory(path, text) : parseYamlInventory(path, text);
}
