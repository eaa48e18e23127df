import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArgv, quoteWord } from '../../../electron/core/ssh/quote.js';

describe('remote command quoting', () => {
  it('passes every word through a POSIX shell unchanged, whatever it contains', () => {
    const words = ['plain', 'two words', "it's", '$(touch /tmp/carpdeck-pwned)', '`id`', 'a;b', 'x|y', '*', '~', '"dq"', 'back\\slash', 'new\nline', '', "''", '-n'];
    const out = execFileSync('/bin/sh', ['-c', quoteArgv(['printf', '%s\\0', ...words])]);
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(words);
  });

  it('leaves safe words bare and quotes the rest', () => {
    expect(quoteWord('/opt/carpd/current/node')).toBe('/opt/carpd/current/node');
    expect(quoteWord('--since')).toBe('--since');
    expect(quoteWord('a b')).toBe("'a b'");
    expect(quoteWord("it's")).toBe(`'it'\\''s'`);
    expect(quoteWord('')).toBe("''");
  });

  it('refuses an empty command', () => {
    expect(() => quoteArgv([])).toThrow(/empty command/);
  });
});
