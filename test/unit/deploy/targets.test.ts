import { describe, expect, it } from 'vitest';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { parseTarget, targetLabel } from '../../../electron/core/ssh/target.js';
import { pickManagementSubnet } from '../../../electron/core/lab/subnet.js';

describe('USER@HOST[:PORT] targets', () => {
  it('reads user, host and port as ssh does, root and 22 by default', () => {
    expect(parseTarget('admin@192.0.2.10:2222')).toEqual({ user: 'admin', host: '192.0.2.10', port: 2222 });
    expect(parseTarget('fw1.example')).toEqual({ user: 'root', host: 'fw1.example', port: 22 });
    expect(parseTarget('root@[2001:db8::1]:22')).toEqual({ user: 'root', host: '2001:db8::1', port: 22 });
    expect(targetLabel(parseTarget('root@[2001:db8::1]:2200'))).toBe('root@[2001:db8::1]:2200');
  });

  it('rejects malformed targets with a message showing the expected form', () => {
    for (const bad of ['', 'root@', 'a@b@c', 'host:99999', 'root@host name']) {
      expect(() => parseTarget(bad)).toThrow(SshError);
      expect(() => parseTarget(bad)).toThrow(/USER@HOST/);
    }
  });
});

describe('lab management range', () => {
  it('takes a private /24 that none of the host networks overlap', () => {
    expect(pickManagementSubnet(['default', '192.0.2.0/24', '192.0.2.2/24'])).toBe('100.64.200.0/24');
    expect(pickManagementSubnet(['100.64.200.0/24', '100.64.201.7/32'])).toBe('100.64.202.0/24');
    expect(pickManagementSubnet(['100.64.0.0/10'])).toBe('172.31.200.0/24');
  });

  it('gives up when every candidate is taken', () => {
    expect(pickManagementSubnet(['100.64.0.0/10', '172.16.0.0/12'])).toBeUndefined();
  });
});
