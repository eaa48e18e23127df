// One Ethernet segment per scenario: a bridge, the members, and a monitor node whose port records everything the
// segment carries (like a technician's capture on a switch port). The captures outlive the lab in
// test/artifacts/interop/, and with CARPDECK_RECORD_FIXTURES=1 also in test/fixtures/lab-captures/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createLab, type Lab, type LabNode } from '../harness/lab.js';
import { ARTIFACTS, REPO } from './analyse.js';

export const FIXTURES = join(REPO, 'test/fixtures/lab-captures');

export interface Segment {
  lab: Lab;
  nodes: Record<string, LabNode>;
}

export interface RecordOptions {
  /**
   * Also record the same traffic on the monitor's "any" pseudo-interface: with tcpdump (pcap, Linux cooked v2,
   * NAME.any.pcap) and with Wireshark's dumpcap (pcapng, Linux cooked v1, nanosecond stamps, NAME.any.pcapng).
   */
  cooked?: boolean;
}

export interface Recorded {
  /** The Ethernet capture (tcpdump, pcap). */
  file: string;
  /** Every capture of the traffic: the Ethernet one first, then the cooked ones when asked for. */
  files: string[];
}

async function startDumpcap(lab: Lab, node: LabNode, file: string): Promise<{ file: string; stop(): Promise<void> }> {
  const p = lab.spawn(node, ['dumpcap', '-q', '-i', 'any', '-w', file], { logFile: `${file}.log` });
  await p.waitForOutput(/Capturing on/);
  return {
    file,
    async stop() {
      await p.stop('SIGINT');
    },
  };
}

/**
 * Builds the segment (members: node name → addresses with prefix length), starts the captures, runs `scenario`,
 * stops the captures and tears everything down. Resolves to the kept captures' paths and the scenario's result.
 */
export async function recordSegment<T>(
  prefix: string,
  name: string,
  members: Record<string, string[]>,
  scenario: (seg: Segment) => Promise<T>,
  options: RecordOptions = {},
): Promise<T & Recorded> {
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
    const captures = [await lab.capture(monitor, 'eth0', join(lab.dir, `${name}.pcap`))];
    if (options.cooked) {
      captures.push(await lab.capture(monitor, 'any', join(lab.dir, `${name}.any.pcap`)));
      captures.push(await startDumpcap(lab, monitor, join(lab.dir, `${name}.any.pcapng`)));
    }
    const result = await scenario({ lab, nodes });
    await Promise.all(captures.map((c) => c.stop()));
    mkdirSync(ARTIFACTS, { recursive: true });
    const files = captures.map((c) => {
      const kept = join(ARTIFACTS, basename(c.file));
      copyFileSync(c.file, kept);
      if (process.env.CARPDECK_RECORD_FIXTURES === '1') copyFileSync(c.file, join(FIXTURES, basename(c.file)));
      return kept;
    });
    return { ...result, file: files[0], files };
  } finally {
    await lab.cleanup();
  }
}
