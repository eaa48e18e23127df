import { describe, expect, it } from 'vitest';
import { formatStatus, invokingUser, needsRootMessage, parseCaptureRightsArgs } from '../../../electron/cli/commands/capture-rights.js';
import { decide, type CaptureRightsStatus } from '../../../electron/core/capture-rights/status.js';
import { facts } from './facts.js';

describe('capture-rights arguments', () => {
  it('reads the action, --user, --prefix, --group and --json, with the prefix from the environment by default', () => {
    expect(parseCaptureRightsArgs(['grant', '--user', 'alice', '--group', 'pcap', '--json'], {})).toEqual({ action: 'grant', user: 'alice', prefix: '/usr/local/lib/carpdeck', group: 'pcap', json: true });
    expect(parseCaptureRightsArgs(['status'], { CARPDECK_CAPTURE_PREFIX: '/opt/cd' })).toMatchObject({ action: 'status', user: null, prefix: '/opt/cd' });
    expect(parseCaptureRightsArgs(['revoke', '--prefix', '/srv/cd'], {})).toMatchObject({ action: 'revoke', prefix: '/srv/cd' });
    expect(parseCaptureRightsArgs([], {}).action).toBe('help');
    expect(parseCaptureRightsArgs(['grant', '--help'], {}).action).toBe('help');
  });

  it('names what is wrong with bad arguments', () => {
    const error = (argv: string[]) => {
      try {
        parseCaptureRightsArgs(argv, {});
      } catch (err) {
        return [(err as Error).message.split('\n')[0], (err as { exitCode: number }).exitCode];
      }
      return null;
    };
    expect(error(['allow'])).toEqual(['capture-rights: unknown action "allow": use status, grant or revoke', 2]);
    expect(error(['grant', '--user'])).toEqual(['capture-rights: --user needs a user name, e.g. --user alice', 2]);
    expect(error(['grant', '--user', '--json'])).toEqual(['capture-rights: --user needs a user name, e.g. --user alice', 2]);
    expect(error(['grant', '--user', 'al ice'])).toEqual(['capture-rights: "al ice" is not a user name', 2]);
    expect(error(['grant', '--prefix', 'lib/carpdeck'])).toEqual(['capture-rights: --prefix must be an absolute directory, got "lib/carpdeck"', 2]);
    expect(error(['revoke', '--group', 'pcap'])).toEqual(['capture-rights: --group is for grant only (revoke and status read it from the installed helper)', 2]);
    expect(error(['grant', '--group', 'Bad Group'])).toEqual(['capture-rights: "Bad Group" is not a group name (lower case letters, digits, _ and -)', 2]);
    expect(error(['status', '--force'])).toEqual(['capture-rights: unknown option "--force"', 2]);
  });

  it('grants to the user who ran sudo when --user is not given, never to root', () => {
    expect(invokingUser({ SUDO_USER: 'alice' })).toBe('alice');
    expect(invokingUser({ SUDO_USER: 'root' })).toBeNull();
    expect(invokingUser({})).toBeNull();
  });
});

describe('capture-rights without root', () => {
  it('gives the exact command to run under sudo, for the user running it', () => {
    const a = parseCaptureRightsArgs(['grant'], {});
    expect(needsRootMessage(a, 'carpdeck', 'alice')).toBe(
      'capture-rights grant changes the system and needs root. Run:\n  sudo carpdeck capture-rights grant --user alice\nIt installs the capture helper as root and adds the user to its group; nothing else runs as root.',
    );
  });

  it('keeps a prefix from the environment on the command line, since sudo drops the environment', () => {
    const a = parseCaptureRightsArgs(['revoke', '--user', 'bob'], { CARPDECK_CAPTURE_PREFIX: '/opt/cd' });
    expect(needsRootMessage(a, '/usr/bin/node /srv/carpdeck/bin/carpdeck.cjs', 'alice')).toBe(
      'capture-rights revoke changes the system and needs root. Run:\n  sudo /usr/bin/node /srv/carpdeck/bin/carpdeck.cjs capture-rights revoke --user bob --prefix /opt/cd',
    );
  });
});

describe('capture-rights status text', () => {
  it('says which helper is used, why, and what is installed', () => {
    const f = facts({ member: true, session: false });
    const s: CaptureRightsStatus = { ...f, ...decide(f, 'carpdeck') };
    expect(formatStatus(s)).toBe(
      [
        'capture for alice: none: cannot capture',
        'why: alice joined the group carpdeck-capture after this session started, and tcpdump holds no capture capabilities: alice cannot capture.',
        'fix: Log out and in again (or start CarpDeck from "sg carpdeck-capture -c \'...\'").',
        'installed helper: /usr/local/lib/carpdeck/carpdeck-capture (root:carpdeck-capture 0750, cap_net_admin,cap_net_raw=eip, from CarpDeck 0.1.0)',
        'group carpdeck-capture: alice is a member (from the next login on)',
        'tcpdump: /usr/bin/tcpdump (no capabilities)',
        '',
      ].join('\n'),
    );
  });
});
