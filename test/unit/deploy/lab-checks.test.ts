import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabError } from '../../../electron/core/lab/errors.js';
import { checkLabName } from '../../../electron/core/lab/layout.js';
import { checkCanRun } from '../../../electron/core/lab/up.js';

afterEach(() => vi.restoreAllMocks());

describe('lab preconditions', () => {
  it('tells a non-root user to run the lab as root', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    expect(() => checkCanRun()).toThrow(LabError);
    expect(() => checkCanRun()).toThrow(/run it as root/);
  });

  it('names the package to install when sshd is missing', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    expect(() => checkCanRun('/nonexistent/sshd')).toThrow(/\/nonexistent\/sshd is missing: install OpenSSH's server \(apt-get install openssh-server/);
  });

  it('accepts short lowercase lab names only (they prefix namespace and interface names)', () => {
    expect(checkLabName('cdlab')).toBeUndefined();
    expect(checkLabName('a1')).toBeUndefined();
    expect(checkLabName('toolongname')).toMatch(/1-8 lowercase letters or digits/);
    expect(checkLabName('Lab')).toMatch(/lowercase/);
    expect(checkLabName('1ab')).toMatch(/starting with a letter/);
  });
});
