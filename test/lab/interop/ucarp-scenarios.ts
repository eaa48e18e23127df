// Real ucarp 1.5.2 nodes on a namespace segment (IPv4 only, advbase 1). ucarp logs every state change
// ("Switching to state: MASTER"), which the scenarios wait for instead of guessing delays.
import { startUcarp } from '../harness/ucarp.js';
import { sleep } from '../harness/wait.js';
import { recordSegment, type Recorded } from './segment.js';

export interface UcarpCapture extends Recorded {
  vhid: number;
  vip: string;
  password: string;
  /** Node name → the source address of its advertisements. */
  src: Record<string, string>;
}

const MASTER = /Switching to state: MASTER/;
const BACKUP = /Switching to state: BACKUP/;
const STATE_TIMEOUT_MS = 15_000;

/**
 * A (advskew 0) becomes master alone, B (advskew 100) joins as backup, then A is stopped with `signal`
 * (ucarp has no bow-out, so SIGTERM and SIGKILL both leave the segment silent) and B takes over.
 */
export function recordUcarpFailover(signal: 'SIGKILL' | 'SIGTERM'): Promise<UcarpCapture> {
  const vhid = signal === 'SIGKILL' ? 11 : 12;
  const name = signal === 'SIGKILL' ? 'ucarp-ipv4-failover-sigkill' : 'ucarp-ipv4-failover-sigterm';
  const net = `10.77.${vhid}`;
  const vip = `${net}.100`;
  const common = { ifname: 'eth0', vhid, password: 'secret', vip: `${vip}/24` };
  const src = { a: `${net}.1`, b: `${net}.2` };
  return recordSegment(`ixu${vhid}`, name, { a: [`${src.a}/24`], b: [`${src.b}/24`] }, async ({ lab, nodes }) => {
    const a = startUcarp(lab, nodes.a, { ...common, srcip: src.a, advskew: 0 }).proc;
    await a.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    const b = startUcarp(lab, nodes.b, { ...common, srcip: src.b, advskew: 100 }).proc;
    await b.waitForOutput(BACKUP, STATE_TIMEOUT_MS);
    await sleep(3000);
    await a.stop(signal);
    await b.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    await sleep(3000);
    return { vhid, vip, password: common.password, src };
  });
}

/**
 * After a SIGKILL failover to B, A comes back: with preemption (-P) and the lower advskew it takes the VIP back at
 * once, and B steps down when it hears A (up to a libpcap read timeout later, carp-wire.md §4).
 */
export function recordUcarpPreemption(): Promise<UcarpCapture> {
  const vhid = 14;
  const net = `10.77.${vhid}`;
  const vip = `${net}.100`;
  const common = { ifname: 'eth0', vhid, password: 'secret', vip: `${vip}/24`, preempt: true };
  const src = { a: `${net}.1`, b: `${net}.2` };
  return recordSegment('ixu14', 'ucarp-ipv4-preemption', { a: [`${src.a}/24`], b: [`${src.b}/24`] }, async ({ lab, nodes }) => {
    const a = startUcarp(lab, nodes.a, { ...common, srcip: src.a, advskew: 0 }).proc;
    await a.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    const b = startUcarp(lab, nodes.b, { ...common, srcip: src.b, advskew: 100 }).proc;
    await b.waitForOutput(BACKUP, STATE_TIMEOUT_MS);
    await sleep(2000);
    await a.stop('SIGKILL');
    await b.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    await sleep(2000);
    const back = startUcarp(lab, nodes.a, { ...common, srcip: src.a, advskew: 0 }).proc;
    await back.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    await sleep(3000);
    return { vhid, vip, password: common.password, src };
  });
}

/**
 * A and B share the password; C joins the same vhid with another one. C rejects A's advertisements (bad digest)
 * and becomes master too, while A and B ignore C's: two masters at once.
 */
export function recordUcarpWrongPassword(): Promise<UcarpCapture> {
  const vhid = 13;
  const net = `10.77.${vhid}`;
  const vip = `${net}.100`;
  const common = { ifname: 'eth0', vhid, vip: `${vip}/24` };
  const src = { a: `${net}.1`, b: `${net}.2`, c: `${net}.3` };
  const members = { a: [`${src.a}/24`], b: [`${src.b}/24`], c: [`${src.c}/24`] };
  return recordSegment('ixu13', 'ucarp-ipv4-wrong-password', members, async ({ lab, nodes }) => {
    const a = startUcarp(lab, nodes.a, { ...common, password: 'secret', srcip: src.a, advskew: 0 }).proc;
    await a.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    const b = startUcarp(lab, nodes.b, { ...common, password: 'secret', srcip: src.b, advskew: 100 }).proc;
    const c = startUcarp(lab, nodes.c, { ...common, password: 'intruder', srcip: src.c, advskew: 50 }).proc;
    await Promise.all([b.waitForOutput(BACKUP, STATE_TIMEOUT_MS), c.waitForOutput(MASTER, STATE_TIMEOUT_MS)]);
    // Comfortably past the analyser's split-brain bar (3 of C's 1.2 s intervals, 3 advertisements from each side).
    await sleep(6000);
    return { vhid, vip, password: 'secret', src };
  }, { cooked: true });
}
