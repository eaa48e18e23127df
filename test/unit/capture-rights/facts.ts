// Capture-rights facts for a Linux user with a correctly installed helper; each test changes what it is about.
import type { CaptureRightsStatus } from '../../../electron/core/capture-rights/status.js';

type Facts = Omit<CaptureRightsStatus, 'using' | 'reason' | 'fix'>;

export function facts(over: Partial<Facts> = {}, helper: Partial<Facts['helper']> = {}): Facts {
  return {
    platform: 'linux',
    user: { name: 'alice', uid: 1000 },
    prefix: '/usr/local/lib/carpdeck',
    group: 'carpdeck-capture',
    groupExists: true,
    member: true,
    session: true,
    tcpdump: { path: '/usr/bin/tcpdump', capabilities: '' },
    ...over,
    helper: {
      path: '/usr/local/lib/carpdeck/carpdeck-capture',
      present: true,
      ownership: true,
      capabilities: 'cap_net_admin,cap_net_raw=eip',
      nosuid: false,
      manifest: { version: '0.1.0', group: 'carpdeck-capture', helperSha256: 'ab', node: 'v20.20.2', installed: '2026-11-26T04:00:00.000Z' },
      current: true,
      ...helper,
    },
  };
}
