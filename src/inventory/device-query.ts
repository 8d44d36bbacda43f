import { sql, type SqlBool, type Expression } from 'kysely';
import type { Db } from '../store/store.js';
import type { Device } from './types.js';

/**
 * Reads devices as finished `Device` objects in one statement: SQLite assembles the JSON (JSON
 * columns embedded as-is, groups in precedence order, credential by name) and one JSON.parse
 * builds the objects. For 10,000 devices this is about twice as fast as row objects mapped in
 * JavaScript, which is what keeps `device list --json` within its budget.
 */
export async function queryDevices(db: Db, where?: Expression<SqlBool>): Promise<Device[]> {
  const filter = where ? sql`where ${where}` : sql``;
  const result = await sql<{ devices: string }>`
    select json_group_array(json_object(
        'id', d.id, 'name', d.name, 'host', d.host, 'port', d.port, 'platform', d.platform,
        'site', d.site, 'role', d.role, 'vendor', d.vendor, 'model', d.model, 'description', d.description,
        'tags', json(d.tags), 'variables', json(d.variables), 'ssh', json(d.ssh),
        'credential', (select c.name from credentials c where c.id = d.credential_id),
        'enabled', json(iif(d.enabled, 'true', 'false')), 'source', d.source, 'netboxId', d.netbox_id,
        'missingSince', d.missing_since, 'lastSyncedAt', d.last_synced_at,
        'groups', json(coalesce((
          select json_group_array(g.name order by g.priority, g.name)
          from group_members gm join groups g on g.id = gm.group_id where gm.device_id = d.id
        ), '[]')),
        'createdAt', d.created_at, 'updatedAt', d.updated_at
      ) order by d.name) as devices
    from devices d ${filter}`.execute(db);
  return JSON.parse(result.rows[0]?.devices ?? '[]') as Device[];
}
