import { z } from 'zod';

/** zod schemas for inventory file entries; rules match the inventory's own validation. */

const scalarText = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

const word = (what: string) =>
  scalarText.refine((v) => v !== '', `${what} must not be empty`).refine((v) => !/\s/.test(v), `${what} must not contain spaces`);

const optionalText = z.union([z.string(), z.number(), z.null()]).transform((v) => {
  const text = v === null ? '' : String(v).trim();
  return text === '' ? null : text;
});

const tag = scalarText.refine((v) => v !== '' && !/[\s,]/.test(v), 'a tag is one word without spaces or commas');

const ssh = z.strictObject({
  jumpHosts: z.array(z.string().trim().min(1)).optional(),
  legacyAlgorithms: z.boolean().optional(),
});

const variables = z.record(z.string(), z.unknown(), 'variables must be a mapping of names to values');

export const deviceEntrySchema = z.strictObject({
  name: word('a device name'),
  host: word('a host'),
  port: z
    .number('a port is a whole number from 1 to 65535')
    .int('a port is a whole number from 1 to 65535')
    .min(1, 'a port is a whole number from 1 to 65535')
    .max(65535, 'a port is a whole number from 1 to 65535')
    .optional(),
  platform: word('a platform').optional(),
  site: optionalText.optional(),
  role: optionalText.optional(),
  vendor: optionalText.optional(),
  model: optionalText.optional(),
  description: optionalText.optional(),
  tags: z.array(tag, 'tags must be a list of words').optional(),
  groups: z.array(word('a group name'), 'groups must be a list of group names').optional(),
  credential: optionalText.optional(),
  enabled: z.boolean('enabled must be true or false').optional(),
  variables: variables.optional(),
  ssh: ssh.optional(),
});
export type DeviceEntryParsed = z.output<typeof deviceEntrySchema>;

export const groupEntrySchema = z.strictObject({
  name: word('a group name'),
  description: optionalText.optional(),
  priority: z.number('a priority is a whole number').int('a priority is a whole number').optional(),
  credential: optionalText.optional(),
  variables: variables.optional(),
  ssh: ssh.optional(),
});
export type GroupEntryParsed = z.output<typeof groupEntrySchema>;

export const yamlDocumentSchema = z.strictObject({
  devices: z.array(z.unknown(), 'devices must be a list').optional(),
  groups: z.array(z.unknown(), 'groups must be a list').optional(),
});

/** A CSV row may leave out the host column: existing devices then keep theirs. */
export const csvDeviceEntrySchema = deviceEntrySchema.partial({ host: true });
