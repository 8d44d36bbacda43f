import { describe, expect, it } from 'vitest';
import { MopTemplating, referencedSteps, wholeExpression } from '../src/mops/template.js';

describe('MOP templating', () => {
  const t = new MopTemplating();
  const scope = { n: 5, l: [1, 2], name: 'r1', inputs: { v: '15.2' }, steps: { a: { status: 'passed', captures: { x: 3 } } } };

  it('keeps the native type of a whole {{ }} and renders the rest as text', () => {
    expect(t.render('{{ n }}', scope)).toBe(5);
    expect(t.render('{{ l }}', scope)).toEqual([1, 2]);
    expect(t.render('{{ n > 3 }}', scope)).toBe(true);
    expect(t.render("{{ {'a': 1.0, 'b': none} }}", scope)).toEqual({ a: 1, b: null });
    expect(t.render('{{ inputs.v }}', scope)).toBe('15.2');
    expect(t.render('x {{ n }}', scope)).toBe('x 5');
    expect(t.render({ list: ['{{ n + 1 }}', 'int {{ l | length }}'], flag: true }, scope)).toEqual({ list: [6, 'int 2'], flag: true });
    expect(t.render('{{- steps.a.captures.x -}}', scope)).toBe(3);
  });

  it('judges bare when/until expressions with Python truthiness', () => {
    expect(t.condition("steps.a.status == 'passed'", scope)).toBe(true);
    expect(t.condition('n < 3', scope)).toBe(false);
    expect(t.condition('l', scope)).toBe(true);
    expect(t.condition('{{ n == 5 }}', scope)).toBe(true);
  });

  it('names a missing variable and where it was used', () => {
    expect(() => t.render('{{ missing }}', scope, 'steps[1].command')).toThrow(/steps\[1\]\.command: .*missing/);
  });

  it('reports parse problems and unknown filters', () => {
    expect(t.problem('{{ x | nofilter }}', 'template')).toMatch(/no filter named 'nofilter'/);
    expect(t.problem('{{ x ', 'template')).toBeTruthy();
    expect(t.problem('a ==', 'expression')).toBeTruthy();
    expect(t.problem("steps.a.status == 'passed'", 'expression')).toBeUndefined();
  });

  it('finds step references and whole expressions', () => {
    expect(referencedSteps("{{ steps.pre.captures.v }} {{ steps['post-1'].status }} {{ mysteps.x }}")).toEqual(['pre', 'post-1']);
    expect(wholeExpression(' {{ a | int }} ')).toBe('a | int');
    expect(wholeExpression('{{ a }} and {{ b }}')).toBeUndefined();
  });
});
