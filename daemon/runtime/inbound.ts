import { decodeFrame } from '../../shared/protocol/decode.js';
import type { CoreInput } from '../core/types.js';

const LINKTYPE_ETHERNET = 1;

/** Decodes a captured frame into a core input: a CARP advert, or a counted reason why it is not one. */
export function frameToInput(iface: string, frame: Uint8Array): CoreInput | undefined {
  const d = decodeFrame(LINKTYPE_ETHERNET, frame);
  if (!d || !d.ip || d.ip.protocol !== 112 || d.link.vlans.length > 0) return undefined;
  if (d.ha?.kind === 'carp') return { type: 'packet', packet: { iface, srcMac: d.link.srcMac, ip: d.ip, carp: d.ha } };
  if (d.problem?.code === 'truncated') return { type: 'malformed', iface, reason: 'short' };
  if (d.problem) return { type: 'malformed', iface, reason: 'malformed' };
  return { type: 'malformed', iface, reason: 'not-carp' };
}
