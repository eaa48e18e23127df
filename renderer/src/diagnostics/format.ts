/** Text formatting shared by the view and the HTML export. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch seconds as "2026-11-26 01:44:31.123 UTC". */
export function formatUtc(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC`
  );
}

/** A duration in seconds, readable at any scale: "850 ms", "3.41 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(Math.floor(seconds % 60))} s`;
  return `${Math.floor(seconds / 3600)} h ${pad(Math.floor((seconds % 3600) / 60))} min`;
}

/** Seconds since the capture started, as the packet table shows them. */
export function formatOffset(seconds: number): string {
  return seconds.toFixed(6);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 error", "3 errors". */
export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** "CARP vhid 1", "VRRP vrid 42 IPv6 (VLAN 10)" from a group id such as "carp:1" or "vrrp:42/ipv6@10". */
export function groupLabel(id: string): string {
  const match = /^(carp|vrrp):(\d+)(\/ipv6)?(?:@(.+))?$/.exec(id);
  if (!match) return id;
  const [, protocol, vhid, v6, vlan] = match;
  const base = `${protocol === 'carp' ? `CARP vhid ${vhid}` : `VRRP vrid ${vhid}`}${v6 ? ' IPv6' : ''}`;
  return vlan ? `${base} (VLAN ${vlan})` : base;
}

const CAUSES: Record<string, string> = {
  'first-seen': 'first master seen',
  preemption: 'preemption',
  'takeover-after-silence': 'takeover after silence',
  'bow-out': 'bow-out',
  'priority-zero': 'priority 0 (release)',
  demotion: 'demotion',
  unknown: 'unknown cause',
};

export function causeLabel(cause: string): string {
  return CAUSES[cause] ?? cause;
}

/** Messages from the shared layers start in lower case (they also appear mid-sentence in the CLI): "The ... ." */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t[0].toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}
