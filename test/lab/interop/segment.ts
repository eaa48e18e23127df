// One Ethernet segment per scenario: a bridge, the members, and a monitor node whose port records everything the
// segment carries (like a technician's capture on a switch port). The capture outlives the lab as
// test/artifacts/interop/NAME.pcap, and with CARPDECK_RECORD_FIXTURES=1 also as test/fixtures/lab-captures/NAME.pcap.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLab, type Lab, type LabNode } from '../harness/lab.js';
import { ARTIFACTS, REPO } from './analyse.js';

export const FIXTURES = join(REPO, 'test/fixtures/lab-captures');

export interface Segment {
  lab: Lab;
  nodes: Record<string, LabNode>;
}

/**
 * Builds the segment (members: node name → addresses with prefix length), starts the capture, runs `scenario`,
 * stops the capture and tears everything down. Resolves to the kept capture's path and the scenario's result.
 */
export async function recordSegment<T>(
  prefix: string,
  name: string,
  members: Record<string, string[]>,
  scenario: (seg: Segment) => Promise<T>,
): Promise<T & { file: string }> {
  const lab = await createLab(prefix);
  try {
    const br = await lab.bridge('br0');
    const monitor = await lab.node('mon');
    await lab.link(monitor, br, { ifname: 'eth0' });
    const nodes: Record<string, LabNode> = {};
    for (const [member, addrs] of Object.entries(members)) {
      nodes[member] = await lab.node(member);
      await lab.link(nodes[member], br, { ifname: 'eth0', addrs });
    }
    const capture = await lab.capture(monitor, 'eth0', join(lab.dir, `${name}.pcap`));
    const result = await scenario({ lab, nodes });
    await capture.stop();
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `${name}.pcap`);
    copyFileSync(capture.file, file);
    if (process.env.CARPDECK_RECORD_FIXTURES === '1') copyFileSync(capture.file, join(FIXTURES, `${name}.pcap`));
    return { ...result, file };
  } finally {
    await lab.cleanup();
  }
}
