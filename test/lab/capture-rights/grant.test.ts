// capture-rights end to end, as the dumpcap model promises: an unprivileged user gets a clear permission error
// with the grant command; after `capture-rights grant` (into a scratch prefix and group, so the real system is not
// touched) the same user captures through the standalone helper, which ignores NODE_OPTIONS because it runs with
// file capabilities; after `revoke` the error is back.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureRightsStatus } from '../../../electron/core/capture-rights/status.js';
import type { DiscoverySnapshot } from '../../../shared/discovery/types.js';
import { injectCarp, repoRoot, sleep, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';

const skip = requireRoot(['runuser', 'useradd', 'setcap', 'getcap', 'python3']);
const CLI = join(repoRoot, 'dist', 'cli', 'carpdeck.cjs');
const USER = `cdcap${process.pid}`;
const GROUP = `cdcapg${process.pid}`;
const scratch = mkdtempSync('/tmp/carpdeck-caprights-');
chmodSync(scratch, 0o755);
const PREFIX = join(scratch, 'lib');
const HELPER = join(PREFIX, 'carpdeck-capture');
const VHID = 77;

let laptop: LabNode;
let peer: LabNode;

describe.skipIf(skip)('capture rights for an unprivileged user', () => {
  const lab = useLab('caprights', async (l) => {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    const seg = await l.bridge('seg');
    laptop = await l.node('laptop');
    peer = await l.node('peer');
    await l.link(laptop, seg, { ifname: 'lan', addrs: ['10.0.7.100/24'] });
    await l.link(peer, seg, { ifname: 'lan', addrs: ['10.0.7.2/24'] });
  });

  afterAll(() => {
    for (const argv of [['userdel', USER], ['groupdel', GROUP]]) {
      try {
        execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The CLI in the laptop's namespace as the test user, with the scratch prefix. */
  const asUser = (args: string[], env: string[] = []) =>
    lab().exec(laptop, ['runuser', '-u', USER, '--', 'env', `CARPDECK_CAPTURE_PREFIX=${PREFIX}`, ...env, process.execPath, CLI, ...args], { timeoutMs: 60_000 });
  const asRoot = (args: string[]) => lab().exec(laptop, [process.execPath, CLI, ...args], { timeoutMs: 120_000 });
  const status = async () => JSON.parse((await asUser(['capture-rights', 'status', '--json'])).stdout) as CaptureRightsStatus;

  it('refuses an unprivileged capture with the interface, what is missing and the exact grant command', async () => {
    const r = await asUser(['discover', '--interface', 'lan', '--duration', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no permission to capture on lan: no capture helper is installed in ' + PREFIX);
    expect(r.stderr).toContain(`capture-rights grant --user ${USER} --prefix ${PREFIX}`);
    expect(r.stderr).toContain('cap_net_raw,cap_net_admin');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await status()).toMatchObject({ using: 'none', helper: { present: false } });
  });

  it('says that grant needs root, with the command to run under sudo', async () => {
    const r = await asUser(['capture-rights', 'grant']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`capture-rights grant changes the system and needs root. Run:\n  sudo `);
    expect(r.stderr).toContain(`capture-rights grant --user ${USER} --prefix ${PREFIX}`);
    expect(existsSync(HELPER)).toBe(false);
  });

  it('after the grant, the user captures through the standalone helper, which ignores NODE_OPTIONS', async () => {
    const g = await asRoot(['capture-rights', 'grant', '--user', USER, '--prefix', PREFIX, '--group', GROUP]);
    expect(g.stderr).toBe('');
    expect(g.code).toBe(0);
    const st = statSync(HELPER);
    expect([st.uid, st.mode & 0o7777]).toEqual([0, 0o750]);
    expect(execFileSync('getcap', [HELPER], { encoding: 'utf8' })).toMatch(/cap_net_admin,cap_net_raw=eip/);
    expect(await status()).toMatchObject({ using: 'granted', group: GROUP, member: true, session: true });

    // adverts from the peer while the user listens on the laptop
    const listening = asUser(['discover', '--interface', 'lan', '--duration', '4', '--json']);
    await sleep(1500);
    await injectCarp(lab(), peer, { ifname: 'lan', vhid: VHID, count: 3, intervalS: 0.3 });
    const r = await listening;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as DiscoverySnapshot;
    expect(snap.groups.find((g) => g.id === `carp:${VHID}`)?.master?.address).toBe('10.0.7.2');
    const notes = snap.events.flatMap((e) => (e.kind === 'capture' ? [e.message] : []));
    expect(notes).toContain('capturing on lan');

    // a capability-bearing Node that honoured NODE_OPTIONS would run anyone's code with capture rights
    const evil = join(scratch, 'evil.cjs');
    const userDir = join(scratch, 'user');
    mkdirSync(userDir);
    execFileSync('chown', [USER, userDir]);
    const marker = join(userDir, 'evil-ran');
    writeFileSync(evil, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');`, { mode: 0o644 });
    const control = await lab().exec(laptop, ['runuser', '-u', USER, '--', 'env', `NODE_OPTIONS=--require ${evil}`, process.execPath, '-e', '0']);
    expect(control.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    // the helper stops when its stdin closes: keep it open for a moment
    const helper = await lab().exec(laptop, ['runuser', '-u', USER, '--', 'env', `NODE_OPTIONS=--require ${evil}`, 'sh', '-c', 'sleep 1.5 | "$0" --interface lan', HELPER], { timeoutMs: 10_000 });
    expect(helper.stderr).toContain('"code":"capturing"');
    expect(existsSync(marker)).toBe(false);
  });

  it('the granted helper survives its interface being taken down and brought back', async () => {
    const listening = asUser(['discover', '--interface', 'lan', '--duration', '6', '--json']);
    await sleep(1500);
    await lab().execOk(laptop, ['ip', 'link', 'set', 'lan', 'down']);
    await sleep(1000);
    await lab().execOk(laptop, ['ip', 'link', 'set', 'lan', 'up']);
    await sleep(1500);
    await injectCarp(lab(), peer, { ifname: 'lan', vhid: VHID + 1, count: 3, intervalS: 0.3 });
    const r = await listening;
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as DiscoverySnapshot;
    const notes = snap.events.flatMap((e) => (e.kind === 'capture' ? [e.message] : []));
    expect(notes.some((n) => n.startsWith('lan was taken down'))).toBe(true);
    expect(notes).toContain('capturing on lan again');
    expect(snap.groups.find((g) => g.id === `carp:${VHID + 1}`)?.master?.address).toBe('10.0.7.2');
  });

  it('after the revoke, the helper and its group are gone and the permission error is back', async () => {
    const r = await asRoot(['capture-rights', 'revoke', '--prefix', PREFIX]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`removed the group ${GROUP}`);
    expect(existsSync(HELPER)).toBe(false);
    const again = await asUser(['discover', '--interface', 'lan', '--duration', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no permission to capture on lan');
    expect(await status()).toMatchObject({ using: 'none', groupExists: false });
  });
});
