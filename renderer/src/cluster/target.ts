// Checks what the person typed as a node's SSH address before it goes to the backend (which checks it again).

/** An error message for people, or null when `target` reads as USER@HOST[:PORT] (IPv6 hosts in brackets). */
export function targetProblem(target: string): string | null {
  const t = target.trim();
  if (t === '') return 'Enter the SSH address as USER@HOST or USER@HOST:PORT, for example root@192.0.2.1.';
  const at = t.lastIndexOf('@');
  if (at <= 0) return `"${t}" has no user: write it as USER@HOST, for example root@${t.replace(/^@/, '')}.`;
  if (/\s/.test(t)) return `"${t}" contains a space; an SSH address is USER@HOST[:PORT] with no spaces.`;
  const hostPort = t.slice(at + 1);
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return `"${hostPort}" is not a host: use a name or an address, with :PORT after it if needed (IPv6 in brackets: root@[2001:db8::1]:22).`;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return `port ${m[2]} is not a TCP port; use 1 to 65535 (22 is SSH's).`;
  return null;
}
