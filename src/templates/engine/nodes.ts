/**
 * The AST: nunjucks' node classes (so code that walks nunjucks trees — variable discovery — keeps
 * working), plus the few Jinja2 constructs nunjucks has no node for. Every extension subclasses the
 * nunjucks class it refines, and lists its extra children in `fields` so `findAll` reaches them.
 *
 * Shapes our parser produces (fields in order; line/col numbers are 0-based as in nunjucks):
 * - For(arr, name, body, else_, test, recursive): `name` is a Symbol or an Array of Symbols; `test` the
 *   `if` filter or null; `recursive` a boolean;
 * - Set(targets, value, body): `targets` Symbols, or LookupVal(ns, 'attr') for `ns.attr`; a block set has
 *   value null and a Capture body; more than one target means tuple unpacking;
 * - LookupVal(target, val): `.name` access has `attr === true` (Jinja's getattr-first rule); `val` may be a Slice;
 * - Include(template, ignoreMissing, withContext); Import(template, target, withContext);
 *   FromImport(template, names, withContext);
 * - Macro(name, args, body): args is a NodeList of Symbols then a KeywordArgs of defaults;
 * - CallBlock(call, args, body): `{% call(args) m() %}body{% endcall %}`;
 * - Is(left, right): right is a Symbol (test name) or a FunCall(Symbol test, args);
 * - Tuple (an Array subclass); Slice(start, stop, step); With(targets, values, body);
 * - DynArgs(expr) / DynKwargs(expr): `f(*list, **dict)`, placed in a call's NodeList before any KeywordArgs;
 * - Block(name, body, scoped, required); FilterBlock is nunjucks' Output[Filter(name, [Capture, ...args])].
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** One node; which fields are set depends on `typename` (see the list above). */
export interface JNode {
  readonly typename: string;
  readonly fields: string[];
  lineno: number;
  colno: number;
  children: JNode[];
  value: unknown;
  target: JNode;
  val: JNode;
  name: JNode;
  args: JNode;
  body: JNode;
  else_: JNode | null;
  cond: JNode;
  arr: JNode;
  test: JNode | null;
  recursive: boolean;
  targets: JNode[];
  template: JNode;
  ignoreMissing: boolean;
  withContext: boolean | null;
  names: JNode;
  key: JNode;
  left: JNode;
  right: JNode;
  expr: JNode;
  ops: JNode[];
  type: string;
  start: JNode | null;
  stop: JNode | null;
  step: JNode | null;
  call: JNode;
  values: JNode[];
  scoped: boolean;
  required: boolean;
  attr?: boolean;
  findAll(type: NodeClass, results?: JNode[]): JNode[];
}

export type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => JNode;

interface NunjucksNodes {
  [name: string]: NodeClass & { extend(name: string, props?: { fields?: string[] }): NodeClass };
}

export const nj = require('nunjucks/src/nodes.js') as NunjucksNodes;

function base(name: string): NunjucksNodes[string] {
  const cls = nj[name];
  if (!cls) throw new Error(`nunjucks has no node class ${name}`);
  return cls;
}

export const N = {
  Root: base('Root'),
  NodeList: base('NodeList'),
  Output: base('Output'),
  TemplateData: base('TemplateData'),
  Literal: base('Literal'),
  Symbol: base('Symbol'),
  Group: base('Group'),
  Array: base('Array'),
  Tuple: base('Array').extend('Tuple'),
  Dict: base('Dict'),
  Pair: base('Pair'),
  LookupVal: base('LookupVal'),
  Slice: base('Node').extend('Slice', { fields: ['start', 'stop', 'step'] }),
  If: base('If'),
  InlineIf: base('InlineIf'),
  For: base('For').extend('For', { fields: ['arr', 'name', 'body', 'else_', 'test', 'recursive'] }),
  Macro: base('Macro'),
  CallBlock: base('Node').extend('CallBlock', { fields: ['call', 'args', 'body'] }),
  Import: base('Import'),
  FromImport: base('FromImport'),
  FunCall: base('FunCall'),
  Filter: base('Filter'),
  KeywordArgs: base('KeywordArgs'),
  Block: base('Block').extend('Block', { fields: ['name', 'body', 'scoped', 'required'] }),
  Extends: base('Extends'),
  Include: base('Include').extend('Include', { fields: ['template', 'ignoreMissing', 'withContext'] }),
  Set: base('Set').extend('Set', { fields: ['targets', 'value', 'body'] }),
  With: base('Node').extend('With', { fields: ['targets', 'values', 'body'] }),
  /** `*expr` / `**expr` in a call's arguments (after the positional ones) */
  DynArgs: base('Node').extend('DynArgs', { fields: ['expr'] }),
  DynKwargs: base('Node').extend('DynKwargs', { fields: ['expr'] }),
  Capture: base('Capture'),
  In: base('In'),
  Is: base('Is'),
  Or: base('Or'),
  And: base('And'),
  Not: base('Not'),
  Add: base('Add'),
  Concat: base('Concat'),
  Sub: base('Sub'),
  Mul: base('Mul'),
  Div: base('Div'),
  FloorDiv: base('FloorDiv'),
  Mod: base('Mod'),
  Pow: base('Pow'),
  Neg: base('Neg'),
  Pos: base('Pos'),
  Compare: base('Compare'),
  CompareOperand: base('CompareOperand'),
};
