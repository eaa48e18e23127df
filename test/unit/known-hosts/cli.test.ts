// `carpdeck known-hosts` arguments: what each action needs, and bad values named with how to write them.
import { describe, expect, it } from 'vitest';
import { knownHostsUsage, parseKnownHostsArgs } from '../../../electron/cli/commands/known-hosts.js';

const FP = 'SHA256:q1Jx3mVJ3Gm2cq9w6pAsJtu0u3yBv0M0uS1u2W0S8aQ';

describe('carpdeck known-hosts arguments', () => {
  it('takes list --json, forget HOST:PORT and replace HOST --fingerprint --old with the store given by --known-hosts', () => {
    expect(parseKnownHostsArgs(['list', '--json'], '/kh.json')).toMatchObject({ action: 'list', json: true, file: '/kh.json', target: null });
    expect(parseKnownHostsArgs(['forget', '[2001:db8::1]:2222', '--known-hosts', '/other.json'], '/kh.json')).toMatchObject({
      action: 'forget',
      target: { host: '2001:db8::1', port: 2222 },
      file: '/other.json',
    });
    expect(parseKnownHostsArgs(['replace', '192.0.2.10', '--fingerprint', FP, '--old', FP])).toMatchObject({ action: 'replace', target: { host: '192.0.2.10', port: 22 }, fingerprint: FP, old: FP });
    expect(parseKnownHostsArgs([]).action).toBe('help');
    expect(knownHostsUsage).toContain('carpdeck known-hosts replace HOST[:PORT] --fingerprint SHA256:...');
  });

  it('refuses a replace without the fingerprint, a fingerprint not as ssh-keygen prints it, a missing host and unknown actions', () => {
    expect(() => parseKnownHostsArgs(['replace', '192.0.2.10'])).toThrow('replace needs --fingerprint SHA256:...');
    expect(() => parseKnownHostsArgs(['replace', '192.0.2.10', '--fingerprint', 'q1Jx3mVJ'])).toThrow('--fingerprint "q1Jx3mVJ" is not a SHA256 fingerprint');
    expect(() => parseKnownHostsArgs(['forget'])).toThrow('forget needs the host, e.g. carpdeck known-hosts forget 192.0.2.10');
    expect(() => parseKnownHostsArgs(['forget', 'fw1:99999'])).toThrow('"fw1:99999" is not HOST or HOST:PORT');
    expect(() => parseKnownHostsArgs(['remove', 'fw1'])).toThrow('unknown action "remove": use list, forget or replace');
    expect(() => parseKnownHostsArgs(['list', '--fingerprint', FP])).toThrow('unknown option "--fingerprint" for list');
  });
});
