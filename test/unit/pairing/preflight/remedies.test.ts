import { describe, expect, it } from 'vitest';
import { parseRemedyId, runRemedy } from '../../../../electron/core/pairing/preflight/remedies.js';
import { FakeSession, has } from './fake-session.js';

const whoami = (answer: string) => [has('id -u'), { stdout: `${answer}\n` }] as [ReturnType<typeof has>, { stdout: string }];

describe('preflight remedies', () => {
  it('accepts only the packages the preflight installs', () => {
    expect(parseRemedyId('apt-install:conntrackd,nftables')).toEqual({ kind: 'install', pkgs: ['conntrackd', 'nftables'] });
    expect(parseRemedyId('conntrack-acct')).toEqual({ kind: 'conntrack-acct' });
    expect(parseRemedyId('apt-install:conntrackd,openssh-server')).toMatch(/names packages the preflight does not install \(openssh-server\)/);
    expect(parseRemedyId('apt-install:conntrackd;reboot')).toMatch(/^unknown remedy/);
    expect(parseRemedyId('rm -rf /')).toMatch(/^unknown remedy "rm -rf \/"/);
  });

  it('installs missing packages with apt-get as root, and through sudo -n for another user', async () => {
    const root = new FakeSession('root@fw1', [whoami('root'), [has('command -v apt-get'), { stdout: '/usr/bin/apt-get\n' }], [has('apt-get', 'install'), { stdout: 'Setting up conntrackd\n' }]]);
    expect(await runRemedy(root, 'apt-install:conntrackd')).toEqual({ ok: true, remedyId: 'apt-install:conntrackd', node: 'root@fw1', message: 'root@fw1: installed conntrackd' });
    expect(root.ran.at(-1)).toEqual(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', '--', 'conntrackd']);
    const admin = new FakeSession('admin@fw2', [whoami('sudo'), [has('command -v apt-get'), { stdout: '/usr/bin/apt-get\n' }], [has('apt-get', 'install'), {}]]);
    expect((await runRemedy(admin, 'apt-install:conntrackd,libpcap0.8')).ok).toBe(true);
    expect(admin.ran.at(-1)).toEqual(['sudo', '-n', '--', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', '--', 'conntrackd', 'libpcap0.8']);
  });

  it('returns clear errors: no privileges, no apt-get, apt-get failing, unknown remedy; nothing run for those', async () => {
    const none = new FakeSession('user@fw', [whoami('none')]);
    expect(await runRemedy(none, 'apt-install:conntrackd')).toMatchObject({ ok: false, code: 'no-privileges', message: expect.stringContaining('password-less sudo') });
    expect(none.ran.some((a) => a.includes('apt-get'))).toBe(false);
    const alpine = new FakeSession('root@alp', [whoami('root'), [has('command -v apt-get'), { code: 1 }]]);
    expect(await runRemedy(alpine, 'apt-install:nftables')).toMatchObject({ ok: false, code: 'no-apt', message: 'root@alp has no apt-get (not Debian or Ubuntu): install nftables with the node\'s package manager' });
    const offline = new FakeSession('root@fw', [whoami('root'), [has('command -v apt-get'), { stdout: '/usr/bin/apt-get' }], [has('apt-get', 'install'), { code: 100, stderr: 'E: Unable to locate package conntrackd\n' }]]);
    expect(await runRemedy(offline, 'apt-install:conntrackd')).toMatchObject({ ok: false, code: 'failed', message: expect.stringContaining('E: Unable to locate package conntrackd') });
    const any = new FakeSession('root@fw', [whoami('root')]);
    expect(await runRemedy(any, 'format-disk')).toMatchObject({ ok: false, code: 'unknown-remedy' });
    expect(any.ran).toEqual([]);
  });

  it('turns conntrack accounting on now and at boot', async () => {
    const s = new FakeSession('root@fw1', [whoami('root'), [has('nf_conntrack_acct=1'), {}]]);
    expect(await runRemedy(s, 'conntrack-acct')).toMatchObject({ ok: true, message: 'root@fw1: conntrack accounting is on, and /etc/sysctl.d/90-carpdeck-conntrack-acct.conf keeps it on at boot' });
    expect(s.ran.at(-1)?.at(-1)).toBe('/etc/sysctl.d/90-carpdeck-conntrack-acct.conf');
  });
});
