// libpcap's open errors, told in words with the fix: permission (Wireshark-style file capabilities), no such
// device, device not up. Only "not up" is worth retrying; the rest are fatal.
import { userInfo } from 'node:os';
import path from 'node:path';
import type { HelperMessage } from './messages.js';

export function describeOpenError(iface: string, raw: string): HelperMessage {
  if (/permission|not permitted|EPERM|EACCES/i.test(raw)) {
    return { level: 'error', code: 'permission-denied', interface: iface, message: `no permission to capture on ${iface} (${raw})`, fix: permissionFix() };
  }
  if (/no such device|doesn't exist|not exist|SIOCGIFINDEX/i.test(raw)) {
    return { level: 'error', code: 'no-such-interface', interface: iface, message: `there is no interface "${iface}" (${raw})`, fix: 'Pick one of the interfaces "carpdeck discover --list-interfaces" shows.' };
  }
  if (/not up|went down|network is down|ENETDOWN/i.test(raw)) {
    return { level: 'warning', code: 'interface-down', interface: iface, message: `${iface} is down; retrying (${raw})` };
  }
  return { level: 'error', code: 'capture-failed', interface: iface, message: `cannot capture on ${iface}: ${raw}` };
}

/** The name `carpdeck capture-rights grant` gives the standalone helper it installs. */
export const INSTALLED_HELPER_NAME = 'carpdeck-capture';

/** How to give this helper, and only it, the right to capture (as Wireshark does for dumpcap). */
export function permissionFix(execPath = process.execPath, platform = process.platform, user = currentUser()): string {
  if (platform === 'win32') return 'Install Npcap (npcap.com) in WinPcap-compatible mode; if it was installed "for Administrators only", run CarpDeck as Administrator.';
  if (platform === 'darwin') return 'Capturing needs read access to /dev/bpf*: install Wireshark\'s "ChmodBPF" package (it adds the access_bpf group) and add yourself to that group, then log in again.';
  const grant = `sudo carpdeck capture-rights grant --user ${user}`;
  if (path.basename(execPath) === INSTALLED_HELPER_NAME) {
    return `The installed capture helper ${execPath} holds no effective capture rights (a copy, an update or a nosuid mount drops them; a container may not allow them). Grant them again: ${grant}`;
  }
  const standalone = !/(^|\/)node(js)?(\.exe)?$/.test(execPath);
  if (standalone) {
    return `Grant the capture helper (only it) the capture capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip ${execPath}`;
  }
  return `Let CarpDeck's capture helper (only it) capture for you: run ${grant} once, then log out and in again. It installs a capture-only helper with cap_net_raw,cap_net_admin, the way Wireshark does for dumpcap; "sudo carpdeck capture-rights revoke" removes it. This helper runs under the general-purpose runtime ${execPath}: never give that binary capabilities (every script it runs would get them). Or run the capture as root.`;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '"$USER"';
  }
}
