// Shared pieces of the carpd lab suites.
import type { Carpd, CarpdVhidConfig, CarpState, Lab, LabNode } from '../harness/index.js';
import { carpdUnavailableReason, labUnavailableReason, WaitAbort, waitFor } from '../harness/index.js';

/** True when carpd lab suites must be skipped (printed with the reason). */
export function skipCarpdLab(tools: string[] = []): boolean {
  const reason = labUnavailableReason(tools) ?? carpdUnavailableReason();
  if (reason) console.warn(`carpd lab suite skipped: ${reason}`);
  return reason !== null;
}

export function vhid(v: number, iface: string, advskew: number, vips: string[], extra: Partial<CarpdVhidConfig> = {}): CarpdVhidConfig {
  return { vhid: v, interface: iface, advbase: 1, advskew, password: `pass${v}`, vips, preempt: true, ...extra };
}

export async function holds(lab: Lab, node: LabNode, ifname: string, ip: string): Promise<boolean> {
  return (await lab.addresses(node, ifname)).includes(ip);
}

export async function waitStates(expect: [Carpd, number, CarpState][], timeoutMs = 15_000): Promise<void> {
  const what = expect.map(([c, v, s]) => `${c.node.name} vhid ${v} ${s}`).join(', ');
  await waitFor(what, async () => {
    for (const [c] of expect) {
      if (!c.proc.running) throw new WaitAbort(`carpd on ${c.node.name} exited while waiting for ${what}:\n${c.proc.output().slice(-800)}`);
    }
    for (const [c, v, s] of expect) if ((await c.state(v)) !== s) return false;
    return true;
  }, timeoutMs, 100);
}

/** State-change events after sequence number `since`. */
export async function stateEventsSince(c: Carpd, since: number) {
  return (await c.events()).filter((e) => e.kind === 'state' && e.seq > since);
}

export async function lastSeq(c: Carpd): Promise<number> {
  const ev = await c.events();
  return ev.length ? ev[ev.length - 1].seq : 0;
}

/** Every rejected packet the daemon counted, over all vhids and the unmatched bucket. */
export async function rejectedTotal(c: Carpd): Promise<number> {
  const s = await c.status();
  const sum = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
  return sum(s.unmatched as Record<string, number> | undefined) + s.vhids.reduce((a, v) => a + sum(v.rejected), 0);
}
