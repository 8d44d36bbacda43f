import { ValidationError } from '../core/errors.js';
import { parseNumber } from '../core/numbers.js';
import { isKnownPlatform, unknownPlatformHint } from '../platforms/index.js';
import type { DeviceSource, SshOptions } from './types.js';

/** Checks on user-supplied inventory fields. Each returns the clean value or throws ValidationError. */

const SOURCES: readonly DeviceSource[] = ['manual', 'import', 'netbox', 'lab'];

export function validName(kind: string, value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw new ValidationError(`${kind} name must not be empty`);
  if (/\s/.test(name)) throw new ValidationError(`invalid ${kind} name '${name}': it must not contain spaces`, `try '${name.replace(/\s+/g, '-')}'`);
  return name;
}

export function validHost(device: string, value: unknown): string {
  const host = typeof value === 'string' ? value.trim() : '';
  if (!host) throw new ValidationError(`device '${device}' needs a host`, 'give --host with an IP address or DNS name');
  if (/\s/.test(host)) throw new ValidationError(`invalid host '${host}' for device '${device}': it must not contain spaces`);
  return host;
}

export function validPort(device: string, value: unknown): number {
  return parseNumber(value, `the port of device '${device}'`, { integer: true, min: 1, max: 65535 });
}

export function validPlatform(device: string, value: unknown): string {
  const platform = typeof value === 'string' ? value.trim() : '';
  if (!platform || /\s/.test(platform)) {
    throw new ValidationError(`invalid platform '${String(value ?? '')}' for device '${device}'`, 'use a Netmiko-style name such as cisco_ios, arista_eos or juniper_junos');
  }
  if (!isKnownPlatform(platform)) throw new ValidationError(`unknown platform '${platform}' for device '${device}'`, unknownPlatformHint(platform));
  return platform;
}

/** Optional text columns: empty strings mean "clear". */
export function optionalText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

export function validTags(device: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new ValidationError(`tags of device '${device}' must be a list of words`);
  const tags: string[] = [];
  for (const raw of value) {
    const tag = String(raw).trim();
    if (!tag || /[\s,]/.test(tag)) throw new ValidationError(`invalid tag '${String(raw)}' on device '${device}'`, 'a tag is one word without spaces or commas');
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

export function validVariables(owner: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`variables of ${owner} must be a mapping of names to values`);
  }
  return value as Record<string, unknown>;
}

export function validSsh(owner: string, value: unknown): SshOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(`ssh options of ${owner} must be a mapping`);
  const input = value as Record<string, unknown>;
  const ssh: SshOptions = {};
  for (const key of Object.keys(input)) {
    if (key !== 'jumpHosts' && key !== 'legacyAlgorithms') {
      throw new ValidationError(`unknown ssh option '${key}' on ${owner}`, 'known options: jumpHosts, legacyAlgorithms');
    }
  }
  if (input.jumpHosts !== undefined) {
    if (!Array.isArray(input.jumpHosts) || input.jumpHosts.some((h) => typeof h !== 'string' || h.trim() === '')) {
      throw new ValidationError(`ssh jumpHosts of ${owner} must be a list of device names or user@host:port`);
    }
    ssh.jumpHosts = input.jumpHosts.map((h: string) => h.trim());
  }
  if (input.legacyAlgorithms !== undefined) {
    if (typeof input.legacyAlgorithms !== 'boolean') throw new ValidationError(`ssh legacyAlgorithms of ${owner} must be true or false`);
    ssh.legacyAlgorithms = input.legacyAlgorithms;
  }
  return ssh;
}

export function validSource(device: string, value: unknown): DeviceSource {
  if (typeof value === 'string' && (SOURCES as readonly string[]).includes(value)) return value as DeviceSource;
  throw new ValidationError(`invalid source '${String(value)}' for device '${device}'`, `one of: ${SOURCES.join(', ')}`);
}

export function validNetboxId(device: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new ValidationError(`invalid NetBox id '${String(value)}' for device '${device}'`);
}

export function validPriority(group: string, value: unknown): number {
  return parseNumber(value, `the priority of group '${group}'`, { integer: true }, 'value', 'higher priorities win');
}

/** Timeouts in seconds: positive numbers. */
export function validTimeout(field: string, value: unknown): number {
  return parseNumber(value, `the ${field}`, { above: 0, unit: 'seconds' });
}
