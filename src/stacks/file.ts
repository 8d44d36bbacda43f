import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';

/**
 * A stack file: services rendered from templates onto target devices, in dependency order.
 * Variables merge lowest first: `defaults` → the inventory's device variables → `variables` →
 * `--var` inputs → the service's `variables` → its `per_device` entry for the device.
 */
const variables = z.record(z.string(), z.unknown());
const serviceSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    template: z.string().min(1),
    targets: z.union([z.array(z.string().min(1)).min(1), z.object({ on: z.string().min(1) }).strict()]),
    variables: variables.default({}),
    per_device: z.record(z.string(), variables).default({}),
    depends_on: z.array(z.string().min(1)).default([]),
    // `stack destroy`: the template that removes what this service adds (default: the `delete:` its
    // template's metadata links); without one, destroy negates exactly what the stack deployed
    delete_template: z.string().min(1).optional(),
  })
  .strict();

const stackSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    required: z.array(z.string().min(1)).default([]),
    defaults: variables.default({}),
    variables: variables.default({}),
    services: z.array(serviceSchema).min(1),
  })
  .strict();

export type StackService = z.infer<typeof serviceSchema>;
export interface StackDefinition extends z.infer<typeof stackSchema> {
  /** the file it was read from */
  file: string;
}

export class StackFileError extends ValidationError {
  constructor(file: string, line: number | undefined, column: number | undefined, problem: string, hint?: string) {
    super(`${file}${line ? `:${line}:${column ?? 1}` : ''}: ${problem}`, hint);
  }
}

export function readStackFile(file: string): StackDefinition {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new NotFoundError('stack', file);
  }
  return parseStack(text, file);
}

export function parseStack(text: string, file: string): StackDefinition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number | undefined) => (offset === undefined ? { line: undefined, col: undefined } : lineCounter.linePos(offset));
  const [yamlError] = doc.errors;
  if (yamlError) {
    const { line, col } = position(yamlError.pos[0]);
    throw new StackFileError(file, line, col, yamlError.message.split('\n')[0]!);
  }
  if (!isMap(doc.contents)) throw new StackFileError(file, 1, 1, 'a stack file is a mapping with name, services, …');
  const parsed = stackSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const { line, col } = position(nodeAt(doc, path)?.range?.[0]);
    const unknownKey = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    throw new StackFileError(file, line, col, `${path.join('.') || 'stack'}: ${issue.message}${unknownKey}`);
  }
  const stack: StackDefinition = { ...parsed.data, file };
  checkServices(stack, (path) => position(nodeAt(doc, path)?.range?.[0]));
  return stack;
}

function nodeAt(doc: Document, path: (string | number)[]): { range?: [number, number, number] | null } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] | null } | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return undefined;
}

/** Names unique, every `depends_on` names a service, and no cycle. */
function checkServices(stack: StackDefinition, where: (path: (string | number)[]) => { line: number | undefined; col: number | undefined }): void {
  const names = stack.services.map((s) => s.name);
  stack.services.forEach((service, index) => {
    if (names.indexOf(service.name) !== index) {
      const { line, col } = where(['services', index, 'name']);
      throw new StackFileError(stack.file, line, col, `service '${service.name}' is defined twice`);
    }
    service.depends_on.forEach((dependency, d) => {
      if (names.includes(dependency)) return;
      const { line, col } = where(['services', index, 'depends_on', d]);
      const guess = nearest(dependency, names);
      throw new StackFileError(stack.file, line, col, `service '${service.name}' depends on unknown service '${dependency}'`, guess ? `did you mean '${guess}'?` : `services: ${names.join(', ')}`);
    });
  });
  serviceOrder(stack);
}

/** Services in dependency order (a dependency before what needs it; file order otherwise). */
export function serviceOrder(stack: StackDefinition): StackService[] {
  const byName = new Map(stack.services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const ordered: StackService[] = [];
  const visit = (service: StackService, chain: string[]) => {
    if (done.has(service.name)) return;
    if (chain.includes(service.name)) {
      throw new StackFileError(stack.file, undefined, undefined, `dependency cycle: ${[...chain.slice(chain.indexOf(service.name)), service.name].join(' → ')}`);
    }
    for (const dependency of service.depends_on) visit(byName.get(dependency)!, [...chain, service.name]);
    done.add(service.name);
    ordered.push(service);
  };
  for (const service of stack.services) visit(service, []);
  return ordered;
}
