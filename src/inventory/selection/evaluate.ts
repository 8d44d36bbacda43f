import picomatch from 'picomatch';
import type { Device } from '../types.js';
import type { SelectionField, SelectionNode } from './parser.js';

export type DevicePredicate = (device: Device) => boolean;
type TextMatcher = (value: string) => boolean;

/** Turns a parsed expression into one closure tree, so evaluation does no parsing or glob compiling. */
export function compileNode(node: SelectionNode): DevicePredicate {
  switch (node.kind) {
    case 'and': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (d) => left(d) && right(d);
    }
    case 'or': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return (d) => left(d) || right(d);
    }
    case 'not': {
      const operand = compileNode(node.operand);
      return (d) => !operand(d);
    }
    case 'term':
      return compileTerm(node.field, textMatcher(node.pattern));
  }
}

function compileTerm(field: SelectionField, matches: TextMatcher): DevicePredicate {
  switch (field) {
    case 'tag':
      return (d) => d.tags.some(matches);
    case 'group':
      return (d) => d.groups.some(matches);
    case 'name':
      return (d) => matches(d.name);
    default: {
      const key = field satisfies keyof Device;
      return (d) => {
        const value = d[key];
        return typeof value === 'string' && matches(value);
      };
    }
  }
}

/** Case-insensitive: plain values compare as lower-case strings, globs go through picomatch. */
function textMatcher(pattern: string): TextMatcher {
  if (!picomatch.scan(pattern).isGlob) {
    const wanted = pattern.toLowerCase();
    return (value) => value.toLowerCase() === wanted;
  }
  // bash mode lets `*` cross '/', an ordinary character in names, models and hosts. picomatch reads
  // shell-style `[!x]` as a class containing '!', so it is rewritten to `[^x]`. The bare RegExp is
  // several times faster than picomatch's matcher function, which builds a result object per call.
  const regex = picomatch.makeRe(pattern.replace(/\[!/g, '[^'), { nocase: true, dot: true, bash: true });
  return (value) => regex.test(value);
}
