import { describe, expect, it } from 'vitest';
import { explainCapturePermission } from '../../../electron/core/capture-rights/explain.js';
import { decide } from '../../../electron/core/capture-rights/status.js';
import { facts } from './facts.js';

const CLI = 'carpdeck';
const GRANT = 'Run "sudo carpdeck capture-rights grant --user alice" once, then log out and in again.';

describe('which capture helper a user gets, and why', () => {
  it('uses the granted helper when it is installed with its capabilities and the group is active', () => {
    expect(decide(facts(), CLI)).toEqual({ using: 'granted', reason: 'the granted capture helper /usr/local/lib/carpdeck/carpdeck-capture (cap_net_admin,cap_net_raw=eip, group carpdeck-capture).' });
  });

  it('needs no grant as root', () => {
    expect(decide(facts({ user: { name: 'root', uid: 0 } }, { present: false }), CLI)).toMatchObject({ using: 'root' });
  });

  it('names what is missing and the grant that fixes it', () => {
    const cases: [Parameters<typeof facts>, string][] = [
      [[{}, { present: false }], 'no capture helper is installed in /usr/local/lib/carpdeck'],
      [[{ groupExists: false }], 'the group carpdeck-capture does not exist'],
      [[{}, { ownership: false }], '/usr/local/lib/carpdeck/carpdeck-capture is not root:carpdeck-capture with mode 0750'],
      [[{}, { capabilities: '' }], '/usr/local/lib/carpdeck/carpdeck-capture has lost its capture capabilities (none)'],
      [[{}, { capabilities: 'cap_net_raw=eip' }], '/usr/local/lib/carpdeck/carpdeck-capture has lost its capture capabilities (cap_net_raw=eip)'],
      [[{ member: false }], 'alice is not in the group carpdeck-capture'],
    ];
    for (const [args, missing] of cases) {
      expect(decide(facts(...args), CLI)).toEqual({ using: 'none', reason: `${missing}, and tcpdump holds no capture capabilities: alice cannot capture.`, fix: GRANT });
    }
  });

  it('tells a user who joined the group in this session to log in again', () => {
    expect(decide(facts({ session: false }), CLI).fix).toBe('Log out and in again (or start CarpDeck from "sg carpdeck-capture -c \'...\'").');
  });

  it('says file capabilities do nothing on a nosuid mount and where to install instead', () => {
    const d = decide(facts({}, { nosuid: true }), CLI);
    expect(d.reason).toContain('mounted nosuid, where file capabilities do nothing');
    expect(d.fix).toBe('Install it elsewhere: "sudo carpdeck capture-rights grant --user alice --prefix DIR" on a filesystem without nosuid, and set CARPDECK_CAPTURE_PREFIX=DIR.');
  });

  it('falls back to tcpdump when it holds capture capabilities itself', () => {
    const d = decide(facts({ tcpdump: { path: '/usr/bin/tcpdump', capabilities: 'cap_net_admin,cap_net_raw=eip' } }, { present: false }), CLI);
    expect(d).toEqual({ using: 'tcpdump', reason: 'no capture helper is installed in /usr/local/lib/carpdeck; /usr/bin/tcpdump holds capture capabilities itself, so the tcpdump fallback captures.', fix: GRANT });
  });

  it('says when the installed helper is from another CarpDeck version', () => {
    expect(decide(facts({}, { current: false }), CLI).reason).toContain('It embeds the helper of CarpDeck 0.1.0: run "sudo carpdeck capture-rights grant --user alice" again to update it.');
  });

  it('puts a non-default prefix into the grant command', () => {
    expect(decide(facts({ prefix: '/opt/cd' }, { present: false }), CLI).fix).toBe('Run "sudo carpdeck capture-rights grant --user alice --prefix /opt/cd" once, then log out and in again.');
  });

  it('says what Windows and macOS need instead', () => {
    expect(decide(facts({ platform: 'win32' }), CLI).fix).toContain('WinPcap API-compatible mode');
    expect(decide(facts({ platform: 'darwin' }), CLI).fix).toContain('access_bpf');
  });
});

describe('a refused capture, explained', () => {
  it('names the interface, what is missing, the command, what it installs and how to undo it', () => {
    const f = facts({}, { present: false });
    const e = explainCapturePermission('eth0', { ...f, ...decide(f, CLI) }, CLI);
    expect(e.message).toBe('no permission to capture on eth0: no capture helper is installed in /usr/local/lib/carpdeck, and tcpdump holds no capture capabilities: alice cannot capture.');
    expect(e.fix).toBe(
      `${GRANT} That installs a capture-only helper with cap_net_raw,cap_net_admin=eip in /usr/local/lib/carpdeck, runnable by the group carpdeck-capture only, the way Wireshark does for dumpcap; "sudo carpdeck capture-rights revoke" removes it. Or run the capture as root.`,
    );
  });

  it('blames the environment when the granted helper or root was refused anyway', () => {
    const granted = facts();
    expect(explainCapturePermission('lan', { ...granted, ...decide(granted, CLI) }, CLI).message).toBe(
      'no permission to capture on lan, although the granted helper /usr/local/lib/carpdeck/carpdeck-capture was used: its capabilities are not effective here',
    );
    const root = facts({ user: { name: 'root', uid: 0 } });
    expect(explainCapturePermission('lan', { ...root, ...decide(root, CLI) }, CLI)).toMatchObject({ message: 'no permission to capture on lan even as root', fix: expect.stringContaining('CAP_NET_RAW') });
  });
});
