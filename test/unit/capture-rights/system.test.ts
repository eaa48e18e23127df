import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { permissionFix } from '../../../electron/capture-helper/open-error.js';
import { cliCommand } from '../../../electron/core/capture-rights/command.js';
import { grantsCapture, onNosuidMount, parseGetcap } from '../../../electron/core/capture-rights/system.js';

describe('file capabilities', () => {
  it('reads both getcap formats', () => {
    expect(parseGetcap('/usr/local/lib/carpdeck/carpdeck-capture cap_net_admin,cap_net_raw=eip\n')).toBe('cap_net_admin,cap_net_raw=eip');
    expect(parseGetcap('/usr/bin/dumpcap = cap_net_admin,cap_net_raw+eip\n')).toBe('cap_net_admin,cap_net_raw=eip');
    expect(parseGetcap('')).toBe('');
  });

  it('counts as capture rights only both capabilities, effective and permitted', () => {
    expect(grantsCapture('cap_net_admin,cap_net_raw=eip')).toBe(true);
    expect(grantsCapture('cap_net_raw=eip')).toBe(false);
    expect(grantsCapture('cap_net_admin,cap_net_raw=ip')).toBe(false);
    expect(grantsCapture('')).toBe(false);
  });

  it('finds the nosuid flag of the mount a file lies on', () => {
    const mountinfo = [
      '22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
      '30 22 0:26 / /tmp rw,nosuid,nodev shared:5 - tmpfs tmpfs rw',
      '41 22 0:40 / /opt/my\\040apps rw,nosuid - fuse.appimage x rw',
    ].join('\n');
    expect(onNosuidMount('/usr/local/lib/carpdeck/carpdeck-capture', mountinfo)).toBe(false);
    expect(onNosuidMount('/tmp/x/carpdeck-capture', mountinfo)).toBe(true);
    expect(onNosuidMount('/tmpfoo/carpdeck-capture', mountinfo)).toBe(false);
    expect(onNosuidMount('/opt/my apps/carpdeck-capture', mountinfo)).toBe(true);
  });
});

describe('the CLI command shown in fixes', () => {
  it('is "carpdeck" when PATH finds this CLI, otherwise Node and the shim by full path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carpdeck-cli-'));
    const bin = join(dir, 'pkg dir', 'bin', 'carpdeck.cjs');
    mkdirSync(join(dir, 'pkg dir', 'bin'), { recursive: true });
    writeFileSync(bin, '');
    expect(cliCommand(bin, '/usr/bin', '/usr/bin/node')).toBe(`/usr/bin/node '${bin}'`);
    mkdirSync(join(dir, 'path'));
    symlinkSync(bin, join(dir, 'path', 'carpdeck'));
    expect(cliCommand(bin, `/usr/bin:${join(dir, 'path')}`, '/usr/bin/node')).toBe('carpdeck');
    expect(cliCommand(join(dir, 'missing.cjs'), '', '/usr/bin/node')).toBe('carpdeck');
  });
});

describe('the capture helper\'s own fix', () => {
  it('tells the installed standalone helper to be granted again, and a helper under node to be granted once', () => {
    expect(permissionFix('/usr/local/lib/carpdeck/carpdeck-capture', 'linux', 'alice')).toBe(
      'The installed capture helper /usr/local/lib/carpdeck/carpdeck-capture holds no effective capture rights (a copy, an update or a nosuid mount drops them; a container may not allow them). Grant them again: sudo carpdeck capture-rights grant --user alice',
    );
    const underNode = permissionFix('/usr/bin/node', 'linux', 'alice');
    expect(underNode).toMatch(/^Let CarpDeck's capture helper \(only it\) capture for you: run sudo carpdeck capture-rights grant --user alice once, then log out and in again\./);
    expect(underNode).toContain('never give that binary capabilities');
  });
});
