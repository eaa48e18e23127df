import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintOf, keyBlobOfLine } from '../../../electron/core/ssh/fingerprint.js';

const dir = mkdtempSync(join(tmpdir(), 'carpdeck-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host key fingerprints', () => {
  for (const [type, extra] of [['ed25519', []], ['rsa', ['-b', '2048']], ['ecdsa', ['-b', '256']]] as const) {
    it(`prints a ${type} key's fingerprint exactly as ssh-keygen -lf does`, () => {
      const file = join(dir, `id_${type}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-f', file]);
      const expected = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1];
      const parsed = keyBlobOfLine(readFileSync(`${file}.pub`, 'utf8'));
      expect(parsed).toBeDefined();
      expect(fingerprintOf(parsed!.blob)).toBe(expected);
      expect(fingerprintOf(parsed!.blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    });
  }

  it('does not take a line without a base64 key for a key', () => {
    expect(keyBlobOfLine('not a key!')).toBeUndefined();
    expect(keyBlobOfLine('')).toBeUndefined();
    expect(keyBlobOfLine('ssh-ed25519 AAAAC3NzaC1yc2EAAAADAQAB')).toBeUndefined();
  });
});
