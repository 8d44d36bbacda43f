/**
 * A configuration as a tree of lines. Children are kept in order and indexed by their comparison
 * key (the line after the platform's canonical rewrites), so lookups stay O(1) on 5,000-line
 * configs.
 */
/**
 * Finds the child that stands for `key` when no child has that key: a hashed secret for its clear
 * form, a VLAN list that holds what `… vlan add N` adds. Set on a parsed tree's root by the
 * platform's rules (`CompiledRules.lookup`); children inherit it.
 */
export type Lookup = (parent: ConfigNode, key: string) => ConfigNode | undefined;

export class ConfigNode {
  readonly children: ConfigNode[] = [];
  private readonly byKey = new Map<string, ConfigNode>();
  lookup: Lookup | undefined;

  constructor(
    readonly text: string,
    readonly key: string = text,
    public parent: ConfigNode | undefined = undefined,
  ) {}

  get isSection(): boolean {
    return this.children.length > 0;
  }

  /** The child with this comparison key, or the one that stands for it (see `Lookup`). */
  get(key: string): ConfigNode | undefined {
    return this.byKey.get(key) ?? this.lookup?.(this, key);
  }

  /** Appends a child, or returns the existing child with that key. */
  add(text: string, key: string = text, index?: number): ConfigNode {
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const node = new ConfigNode(text, key, this);
    node.lookup = this.lookup;
    if (index === undefined || index >= this.children.length) this.children.push(node);
    else this.children.splice(index, 0, node);
    this.byKey.set(key, node);
    return node;
  }

  remove(node: ConfigNode): void {
    const at = this.children.indexOf(node);
    if (at < 0) return;
    this.children.splice(at, 1);
    this.byKey.delete(node.key);
    node.parent = undefined;
  }

  clear(): void {
    for (const child of this.children) child.parent = undefined;
    this.children.length = 0;
    this.byKey.clear();
  }

  /** A deep copy, detached from any parent. */
  clone(): ConfigNode {
    const copy = new ConfigNode(this.text, this.key);
    copy.lookup = this.lookup;
    for (const child of this.children) copy.adopt(child.clone());
    return copy;
  }

  /** Appends a detached node (and its subtree) as the last child, replacing one with its key. */
  adopt(node: ConfigNode): ConfigNode {
    const existing = this.byKey.get(node.key);
    if (existing) this.remove(existing);
    node.parent = this;
    node.lookup ??= this.lookup;
    this.children.push(node);
    this.byKey.set(node.key, node);
    return node;
  }

  /** The lines of this node's ancestors (without the root) and itself. */
  path(): string[] {
    return this.parent ? [...this.parent.path(), this.text] : [];
  }

  /** Every line in the subtree, depth first. */
  *walk(): Generator<ConfigNode> {
    for (const child of this.children) {
      yield child;
      yield* child.walk();
    }
  }

  get lineCount(): number {
    let count = 0;
    for (const _ of this.walk()) count++;
    return count;
  }
}

/** A value as devices show it hashed: `7 0822…`, `8 …`, `9 $9$…`, `encrypted …`, `sha512 $6$…`. */
export const HASHED = /(?:^|\s)(?:[5789]|encrypted|sha512) \S|\$\d\$|\$9\$/;

/**
 * `node`'s counterpart among `parent`'s children: the child with its key, else (for a line whose
 * value the device may show hashed) the child with the same key without the value, when one of
 * the two is hashed and the other is not.
 */
export function counterpart(parent: ConfigNode, node: ConfigNode, hashedKey: (line: string) => string | undefined): ConfigNode | undefined {
  const exact = parent.get(node.key);
  if (exact) return exact;
  const key = hashedKey(node.text);
  if (key === undefined) return undefined;
  const hashed = HASHED.test(node.text);
  return parent.children.find((c) => HASHED.test(c.text) !== hashed && hashedKey(c.text) === key);
}
