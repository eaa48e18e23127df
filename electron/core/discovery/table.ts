// Plain-text views of a discovery snapshot for the terminal: the groups table, state sync, events, findings, and
// the interface list.
import type { DiscoveredGroup, DiscoveredNode, DiscoveryEvent, DiscoverySnapshot } from '../../../shared/discovery/types.js';
import type { InterfaceInfo } from './interfaces.js';

const SPARK = ' ▁▂▃▄▅▆▇█';

export function formatSnapshot(s: DiscoverySnapshot, opts: { events?: number } = {}): string {
  const lines: string[] = [];
  const secs = (s.time - s.started).toFixed(1);
  lines.push(`Discovery on ${s.interface ?? '?'}: ${secs} s, ${s.packets} packet${s.packets === 1 ? '' : 's'}`, '');
  if (s.groups.length === 0) lines.push('No CARP or VRRP groups seen yet.');
  else lines.push(...table(['GROUP', 'STATE', 'MASTER', 'MAC', 'VENDOR', 'VALUES', 'INTERVAL', 'LAST SEEN', 'ADVERTS'], s.groups.map((g) => groupRow(g, s.time))));
  if (s.nodes.length > 0) {
    lines.push('', 'carpd nodes:');
    for (const n of s.nodes) {
      const ssh = `ssh ${sshTarget(n, s.interface)}:${n.sshPort ?? 22}`;
      const also = n.address6 && n.address6 !== n.address ? ` (${n.address6})` : '';
      lines.push(`  ${n.name} ${n.address}${also} v${n.version} ${n.vhids.map((v) => `vhid ${v.vhid} ${v.role}`).join(', ')} ${ssh} ${n.verified ? 'verified' : 'UNVERIFIED (give --secret VHID:PASSWORD to check)'}`);
    }
  }
  if (s.sync.length > 0) {
    lines.push('', 'State sync:');
    for (const f of s.sync) lines.push(`  ${f.kind} ${f.src} -> ${f.dst}: ${f.packets} packets, ${f.rate.toFixed(1)}/s`);
  }
  const events = s.events.slice(-(opts.events ?? 10));
  if (events.length > 0) {
    lines.push('', 'Events:');
    for (const e of events) lines.push(`  ${formatEvent(e)}`);
  }
  if (s.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of s.findings) lines.push(`  ${f.severity.toUpperCase()} ${f.kind}: ${f.message}`, `      fix: ${f.fix}`);
  }
  return lines.join('\n') + '\n';
}

/** Where to SSH to a node: its management address, else its beacon's source (a link-local one needs the zone). */
export function sshTarget(n: DiscoveredNode, iface: string | null): string {
  if (n.managementAddress) return n.managementAddress;
  const linkLocal = n.address.toLowerCase().startsWith('fe80:');
  return linkLocal ? `[${n.address}${iface ? `%${iface}` : ''}]` : n.address;
}

export function formatEvent(e: DiscoveryEvent): string {
  const t = new Date(e.time * 1000).toISOString().slice(11, 23);
  if (e.kind === 'capture') return `${t} ${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
  return `${t} ${e.message}`;
}

function groupRow(g: DiscoveredGroup, now: number): string[] {
  const values = g.protocol === 'carp' ? `advbase ${g.advbase} advskew ${g.advskew}${g.demote ? ` demote ${g.demote}` : ''}` : `priority ${g.priority}`;
  const measured = g.measuredInterval === null ? '' : ` (measured ${g.measuredInterval.toFixed(2)})`;
  return [
    g.id,
    g.state === 'silent' ? 'SILENT' : g.demoted ? 'demoted' : 'ok',
    g.master?.address ?? (g.lastMaster ? `(was ${g.lastMaster})` : '-'),
    g.master?.mac ?? '-',
    g.master?.vendor.label ?? '-',
    values,
    `${g.announcedInterval.toFixed(2)} s${measured}`,
    `${Math.max(0, now - g.lastSeen).toFixed(1)} s ago`,
    `${g.adverts} ${sparkline(g.history.slice(-20))}`,
  ];
}

export function sparkline(values: number[]): string {
  const max = Math.max(1, ...values);
  return values.map((v) => SPARK[v === 0 ? 0 : Math.max(1, Math.round((v / max) * (SPARK.length - 1)))]).join('');
}

export function formatInterfaces(list: InterfaceInfo[]): string {
  const rows = list.map((i) => [i.name, i.state, i.mac ?? '-', i.addresses.join(' ') || '-', i.probe?.hint ?? '']);
  return table(['INTERFACE', 'LINK', 'MAC', 'ADDRESSES', 'HINT'], rows).join('\n') + '\n';
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => [...r[c]].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c] - [...cell].length))).join('  ');
  return [line(head), ...rows.map(line)];
}
