import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileTemplate, findParser, NoParserError, ParseActionError, parseOutput, splitLines, TemplateError, translatePythonRegex } from '../src/parse/index.js';
import { ParseSourceError } from '../src/parse/sources.js';

// Every case's expected.json is python3-textfsm's output on the same template and input
// (scripts/gen-textfsm-cases.py); the last test re-runs it in --check mode.
const repoRoot = resolve(import.meta.dirname, '..');
const fixtures = join(repoRoot, 'test/fixtures/textfsm');

interface Expected {
  header?: string[];
  rows?: unknown[][];
  error?: { type: 'template' | 'parse'; message: string };
}

describe('TextFSM engine against python3-textfsm', () => {
  for (const name of readdirSync(fixtures).sort()) {
    const dir = join(fixtures, name);
    if (!existsSync(join(dir, 'expected.json'))) continue;
    it(name, () => {
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
      const source = readFileSync(join(dir, 'template.textfsm'), 'utf8');
      const input = readFileSync(join(dir, 'input.txt'), 'utf8');
      if (expected.error?.type === 'template') {
        expect(() => compileTemplate(source, `${name}.textfsm`)).toThrow(TemplateError);
        return;
      }
      const template = compileTemplate(source, `${name}.textfsm`);
      expect(template.header).toEqual(expected.header);
      if (expected.error?.type === 'parse') {
        let error: unknown;
        try {
          template.parseRows(input);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ParseActionError);
        const python = /Rule Line: (\d+)\. Input Line: (.*?)\.?$/.exec(expected.error.message)!;
        expect((error as ParseActionError).ruleLine).toBe(Number(python[1]));
        expect((error as ParseActionError).text).toBe(python[2]);
        const pythonMessage = /^Error: "(.*)"\. Rule/.exec(expected.error.message)?.[1];
        expect((error as ParseActionError).errorMessage).toBe(pythonMessage);
        if (pythonMessage) expect((error as Error).message).toContain(pythonMessage);
        // the input line number: the offending line's position in the input
        expect((error as Error).message).toContain(`input line ${splitLines(input).indexOf(python[2]!) + 1}`);
        return;
      }
      expect(template.parseRows(input)).toEqual(expected.rows);
    });
  }

  it('the committed expectations are what python3-textfsm gives (fails when it is missing)', () => {
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const run = spawnSync(python, [join(repoRoot, 'scripts/gen-textfsm-cases.py'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('template errors name the file, the line and the problem', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['rule without caret', 'Value A (\\S+)\n\nStart\n  foo ${A}\n', 4, /missing white space or caret/],
    ['unknown option', 'Value Filldown,Sticky A (\\S+)\n\nStart\n  ^${A}\n', 1, /unknown option "Sticky"/],
    ['state that does not exist', 'Value A (\\S+)\n\nStart\n  ^${A} -> Record Nowhere\n', 4, /state 'Nowhere' not found/],
    ['scoped inline flag', 'Value A (\\S+)\n\nStart\n  ^x(?i:abc) ${A}\n', 4, /unsupported .*\(\?i:…\)/],
    ['named group in a repeat that looks ahead', 'Value A (\\S+)\n\nStart\n  ^(${A}(?=x)\\s)+\n', 4, /inside a repeated group that also holds look-ahead/],
    ['conditional group', 'Value A (\\S+)\n\nStart\n  ^(a)?(?(1)b|c) ${A}\n', 4, /conditional groups/],
    ['Value outside ()', 'Value A (\\S+ x\n\nStart\n  ^${A}\n', 1, /must be contained within a '\(\)' pair/],
    ['unknown variable', 'Value A (\\S+)\n\nStart\n  ^${B}\n', 4, /invalid variable substitution/],
    ['Continue with a new state', 'Value A (\\S+)\n\nStart\n  ^${A} -> Continue Other\n\nOther\n  ^x\n', 4, /Continue/],
  ];
  for (const [label, source, line, problem] of cases) {
    it(label, () => {
      let error: unknown;
      try {
        compileTemplate(source, 'bad.textfsm');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).line).toBe(line);
      expect((error as Error).message).toMatch(new RegExp(`^bad\\.textfsm:${line}: `));
      expect((error as Error).message).toMatch(problem);
      expect((error as TemplateError).exitCode).toBe(4);
    });
  }

  it('a template without Start', () => {
    expect(() => compileTemplate('Value A (\\S+)\n\nOther\n  ^${A}\n', 'x.textfsm')).toThrow(/missing state 'Start'/);
  });
});

describe('Python regex translation', () => {
  const match = (pattern: string, subject: string): string | undefined => {
    const t = translatePythonRegex(pattern);
    const re = new RegExp(t.source, t.flags + 'y');
    return re.exec(subject)?.[0];
  };
  it('\\w, \\d, \\s and \\b are Unicode as in Python; \\s includes \\x1c-\\x1f but not U+FEFF', () => {
    expect(match('\\w+', 'Zürich!')).toBe('Zürich');
    expect(match('\\d+', '\u0661\u0662x')).toBe('\u0661\u0662');
    expect(match('\\s', '\x1c')).toBe('\x1c');
    expect(match('\\s', '\ufeff')).toBeUndefined();
    expect(match('.*?\\b', 'é!')).toBe('');
    expect(match('é\\b', 'éa')).toBeUndefined();
    expect(match('[^\\W\\d]+', 'ab1')).toBe('ab');
  });
  it('named groups, back references, {,n}, lone braces and brackets, \\Z', () => {
    expect(translatePythonRegex('(?P<x>a)(?P=x)').names).toEqual(['x']);
    expect(match('(?P<x>a)(?P=x)', 'aa')).toBe('aa');
    expect(match('a{,2}', 'aaa')).toBe('aa');
    expect(match('{}]', '{}]')).toBe('{}]');
    expect(match('a\\Z', 'a')).toBe('a');
    expect(match('a\\Z', 'ab')).toBeUndefined();
  });
  it('possessive and atomic forms never give back', () => {
    expect(match('a++a', 'aaa')).toBeUndefined();
    expect(match('(?>a+)a', 'aaa')).toBeUndefined();
    expect(match('(?>a+)b', 'aab')).toBe('aab');
  });
  it('rejects what it cannot translate', () => {
    expect(() => translatePythonRegex('(?x)a b')).toThrow(/verbose/);
    expect(() => translatePythonRegex('a(?i)b')).toThrow(/start/);
    expect(() => translatePythonRegex('\\N{BULLET}')).toThrow(/\\N/);
  });
});

describe('template sources', () => {
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'netstacks-parse-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('NET_TEXTFSM pointing at a folder with no index fails naming the folder', () => {
    const dir = temp();
    expect(() => findParser('cisco_ios', 'show version', { home: temp(), env: { NET_TEXTFSM: dir } })).toThrow(ParseSourceError);
    expect(() => findParser('cisco_ios', 'show version', { home: temp(), env: { NET_TEXTFSM: dir } })).toThrow(new RegExp(`${dir}.*NET_TEXTFSM.*no index`));
  });

  it('a command no index knows: no-parser naming the platform, the command and how to add a template', () => {
    let error: unknown;
    try {
      findParser('cisco_ios', 'show frobnicator', { home: temp(), env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NoParserError);
    expect((error as NoParserError).exitCode).toBe(3);
    expect((error as Error).message).toBe("no parser for 'show frobnicator' on platform 'cisco_ios'");
    expect((error as NoParserError).hint).toMatch(/--template FILE.*index.*NET_TEXTFSM/);
  });

  it("the user's folder comes before the built-ins, abbreviations and ':'-joined templates merge on Key", () => {
    const home = temp();
    const dir = join(home, 'textfsm');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.textfsm'), 'Value Key IF (\\S+)\nValue STATE (up|down)\n\nStart\n  ^${IF} is ${STATE} -> Record\n');
    writeFileSync(join(dir, 'b.textfsm'), 'Value Key IF (\\S+)\nValue MTU (\\d+)\n\nStart\n  ^${IF} mtu ${MTU} -> Record\n');
    writeFileSync(join(dir, 'index'), '# mine\nTemplate, Hostname, Platform, Command\n\na.textfsm:b.textfsm, .*, cisco_ios, sh[[ow]] ver[[sion]]\n');
    const text = 'e0 is up\ne1 is down\ne1 mtu 9000\ne0 mtu 1500\n';
    const result = parseOutput({ platform: 'cisco_ios', command: 'sh ver', text, home, env: {} });
    expect(result.source).toEqual({ kind: 'user', template: `${join(dir, 'a.textfsm')}:${join(dir, 'b.textfsm')}` });
    expect(result.records).toEqual([
      { if: 'e0', state: 'up', mtu: '1500' },
      { if: 'e1', state: 'down', mtu: '9000' },
    ]);
    // not in the user's index: the built-in template answers
    expect(findParser('cisco_ios', 'show ip route', { home, env: {} }).source.kind).toBe('builtin');
  });

  it('NET_TEXTFSM (ntc-templates) comes before the built-ins, and platforms NetStacks does not drive work', () => {
    const corpus = [resolve(repoRoot, '../shared'), resolve(repoRoot, '../../shared')].map((d) => join(d, 'textfsm-corpus')).find((d) => existsSync(d));
    if (!corpus) return expect.fail('textfsm corpus not found beside the repository');
    const env = { NET_TEXTFSM: corpus };
    expect(findParser('cisco_ios', 'show version', { home: temp(), env }).source.kind).toBe('ntc');
    const parser = findParser('huawei_smartax', 'display board', { home: temp(), env });
    expect(parser.source.template).toMatch(/huawei_smartax_display_board\.textfsm$/);
  });
});
