import type { GroupRow, OverrideRow } from '../store/schema.js';
import type { DeviceOverride, Group, SshOptions } from './types.js';

/** Raw rows to the parsed objects the rest of NetStacks sees. Pure, so bulk paths stay fast. */

export function parseObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function parseStringArray(text: string | null): string[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

export function rowToGroup(row: GroupRow, members: string[], credential: string | null): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priority: row.priority,
    variables: parseObject(row.variables),
    ssh: parseObject(row.ssh) as SshOptions,
    credential,
    members,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function rowToOverride(row: OverrideRow, device: string, credential: string | null): DeviceOverride {
  return {
    device,
    host: row.host,
    port: row.port,
    platform: row.platform,
    credential,
    connectTimeout: row.connect_timeout,
    authTimeout: row.auth_timeout,
    bannerTimeout: row.banner_timeout,
    promptTimeout: row.prompt_timeout,
    commandTimeout: row.command_timeout,
    disabled: row.disabled === 1,
    notes: row.notes,
    updatedAt: row.updated_at,
  };
}

/** Groups apply in ascending priority, then name; the last one wins. */
export function byPrecedence(a: { priority: number; name: string }, b: { priority: number; name: string }): number {
  return a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
