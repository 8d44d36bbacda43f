import { describe, expect, it } from 'vitest';
import { extractOutput, failureLines } from '../src/session/output.js';
import { normalizeText, resolveLine, splitIncompleteEscape, stripAnsi } from '../src/session/normalize.js';
import { findModePath } from '../src/session/modes.js';
import { getPlatform } from '../src/platforms/index.js';

const IOS_FAILURES = getPlatform('cisco_ios').failurePatterns;

describe('failureLines', () => {
  it("returns the device's error lines", () => {
    expect(failureLines("        ^\n% Invalid input detected at '^' marker.\n", IOS_FAILURES)).toBe("% Invalid input detected at '^' marker.");
    expect(failureLines('Cisco IOS Software\nuptime is 3 weeks', IOS_FAILURES)).toBeUndefined();
  });

  it('ignores the pattern quoted in the middle of a long output', () => {
    const log = Array.from({ length: 50 }, (_, i) => (i === 25 ? "*Mar 1: % Invalid input detected at '^' marker." : `log line ${i}`)).join('\n');
    expect(failureLines(log, IOS_FAILURES)).toBeUndefined();
    expect(failureLines(`${log}\n% Incomplete command.`, IOS_FAILURES)).toBe('% Incomplete command.');
  });
});

describe('extractOutput', () => {
  it('drops the echo, a stale prompt before it, and blank lines at the ends', () => {
    expect(extractOutput('R1#show clock\n\n10:00:00 UTC\n\n', 'show clock', [])).toBe('10:00:00 UTC');
    expect(extractOutput('\nshow clock\n10:00:00 UTC\n', 'show clock', [])).toBe('10:00:00 UTC');
  });

  it('drops noise lines such as Junos [edit]', () => {
    expect(extractOutput('set system host-name r1\n\n[edit]\n', 'set system host-name r1', [/^\[edit[^\]]*\]$/])).toBe('');
  });
});

describe('normalize', () => {
  it('applies carriage-return overwrites and backspaces', () => {
    expect(resolveLine('garbage\rR1#')).toBe('R1#');
    expect(resolveLine('R1#\r')).toBe('R1#');
    expect(resolveLine(' --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\binterface Gi0/2')).toBe('interface Gi0/2');
    expect(resolveLine('\r                    \rline')).toBe('line');
  });

  it('strips ANSI codes and treats erase-line as a return to the line start', () => {
    expect(stripAnsi('\x1b[1;32mR1#\x1b[0m')).toBe('R1#');
    expect(normalizeText('---(more)---\x1b[2K\x1b[1Gnext line\r\n')).toBe('next line\n');
    expect(normalizeText('a\r\r\nb\n\rc')).toBe('a\nb\nc');
  });

  it('holds back an escape sequence cut in two', () => {
    expect(splitIncompleteEscape('text\x1b[1;3')).toEqual(['text', '\x1b[1;3']);
    expect(splitIncompleteEscape('text\x1b[1;32m')).toEqual(['text\x1b[1;32m', '']);
  });
});

describe('findModePath', () => {
  it('finds the shortest way through the mode graph', () => {
    const ios = getPlatform('cisco_ios');
    expect(findModePath(ios, 'exec', 'configuration')?.map((t) => t.send)).toEqual(['enable', 'configure terminal']);
    expect(findModePath(ios, 'configuration', 'exec')?.map((t) => t.send)).toEqual(['end', 'disable']);
    expect(findModePath(ios, 'privileged', 'privileged')).toEqual([]);
    expect(findModePath(getPlatform('cisco_nxos'), 'privileged', 'exec')).toBeUndefined();
  });
});
