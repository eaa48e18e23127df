import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSyncSchema } from '../../../daemon/configsync/config.js';
import { realExec } from '../../../daemon/configsync/exec.js';
import { realFs, type SyncFs } from '../../../daemon/configsync/fsops.js';
import { ensureIdentity } from '../../../daemon/configsync/identity.js';
import { formatDiff, formatPush, formatSyncStatus } from '../../../daemon/configsync/format.js';
import { ConfigSync, type ConfigSyncEvent } from '../../../daemon/configsync/service.js';
import { configSyncStatusSchema } from '../../../daemon/configsync/status.js';

// Two nodes in one process on loopback: each sees "/etc/..." under its own root (like a per-node mount namespace).
function rootedFs(root: string): SyncFs {
  const m = (p: string) => (p.startsWith('/etc/') ? join(root, p) : p);
  return {
    read: (p) => realFs.read(m(p)),
    mode: (p) => realFs.mode(m(p)),
    list: (p) => realFs.list(m(p)),
    writeDurable: (p, d, mode) => realFs.writeDurable(m(p), d, mode),
    rename: (a, b) => realFs.rename(m(a), m(b)),
    remove: (p) => realFs.remove(m(p)),
    syncDir: (p) => realFs.syncDir(m(p)),
    mkdirs: (p) => realFs.mkdirs(m(p)),
  };
}

interface Node {
  name: string;
  root: string;
  sync: ConfigSync;
  events: ConfigSyncEvent[];
  file(p: string): string;
  write(p: string, text: string): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let base: string;
let nodes: Node[] = [];

const FW = '/etc/fw/rules.conf';
const VIPS = '/etc/carpd/vips.json';

async function pair(opts: { fw2Role?: 'source' | 'receiver'; fw2Values?: Record<string, string>; fw2Interfaces?: string[] } = {}): Promise<[Node, Node]> {
  const ids = [];
  for (const n of ['fw1', 'fw2']) {
    const r = await ensureIdentity(realFs, realExec, n, join(base, n, 'state', 'configsync', 'node.key'), join(base, n, 'state', 'configsync', 'node.crt'));
    if (!r.ok) throw new Error(r.error.message);
    ids.push(r.value);
  }
  const ports = [await freePort(), await freePort()];
  const made: Node[] = [];
  for (const [i, name] of ['fw1', 'fw2'].entries()) {
    const root = join(base, name, 'root');
    mkdirSync(join(root, 'etc', 'fw'), { recursive: true });
    const cfg = configSyncSchema.parse({
      role: i === 0 ? 'source' : (opts.fw2Role ?? 'receiver'),
      listen: '127.0.0.1',
      port: ports[i],
      peer: { address: '127.0.0.1', port: ports[1 - i], fingerprint: ids[1 - i].fingerprint },
      sections: [
        // The validator refuses any rules file containing "BAD"; the apply copies it to the "running" file.
        { name: 'fw', files: [FW], validate: ['sh', '-c', 'if grep -q BAD "$1"; then echo "line 1: syntax error" >&2; exit 1; fi', 'v', '{file}'], apply: null },
        { name: 'vips', files: [VIPS], apply: null },
      ],
      overrides:
        i === 0
          ? { interfaces: { lan: 'enp3s0' }, values: { 'lan.address': '10.0.1.2' }, jsonOverlay: { [VIPS]: { '/advskew': 0 } } }
          : { interfaces: { lan: 'eth1' }, values: opts.fw2Values ?? { 'lan.address': '10.0.1.3' }, jsonOverlay: { [VIPS]: { '/advskew': 100 } } },
      checkInterval: 3600,
      debounceMs: 0,
    });
    const events: ConfigSyncEvent[] = [];
    const node: Node = {
      name,
      root,
      events,
      sync: null as unknown as ConfigSync,
      file: (p) => readFileSync(join(root, p), 'utf8'),
      write: (p, text) => writeFileSync(join(root, p), text),
    };
    node.sync = new ConfigSync(cfg, { node: name, stateDir: join(base, name, 'state'), fs: rootedFs(root), onEvent: (e) => events.push(e), interfaceExists: (n) => (opts.fw2Interfaces ?? ['eth1']).includes(n) });
    made.push(node);
  }
  made[0].write(FW, 'iifname "enp3s0" ip daddr 10.0.1.2 accept\n');
  mkdirSync(join(made[0].root, 'etc', 'carpd'), { recursive: true });
  mkdirSync(join(made[1].root, 'etc', 'carpd'), { recursive: true });
  made[0].write(VIPS, JSON.stringify({ vhid: 1, advskew: 0, vips: ['10.0.1.1/24'] }));
  for (const n of made) {
    const r = await n.sync.start();
    if (!r.ok) throw new Error(r.error.message);
  }
  nodes = made;
  return [made[0], made[1]];
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'cfgsync-svc-'));
});
afterEach(async () => {
  for (const n of nodes) await n.sync.stop();
  nodes = [];
  rmSync(base, { recursive: true, force: true });
});

describe('config sync between two nodes', () => {
  it('pushes the sections, renders them with the receiver\'s own values, and both nodes report in-sync', async () => {
    const [fw1, fw2] = await pair();
    const r = await fw1.sync.push();
    expect(r).toMatchObject({ ok: true, value: { changed: ['fw', 'vips'] } });
    expect(fw2.file(FW)).toBe('iifname "eth1" ip daddr 10.0.1.3 accept\n');
    expect(JSON.parse(fw2.file(VIPS))).toEqual({ vhid: 1, advskew: 100, vips: ['10.0.1.1/24'] });
    await fw1.sync.check();
    await fw2.sync.check();
    for (const n of [fw1, fw2]) {
      expect(n.sync.status().sections.map((s) => s.state)).toEqual(['in-sync', 'in-sync']);
      expect(n.sync.status().sections[0].lastSync).not.toBeNull();
    }
    expect(fw2.events).toContainEqual({ kind: 'applied', sections: ['fw', 'vips'], cause: expect.stringContaining('from fw1') });
  });

  it('refuses a revision that fails validation: the receiver is unchanged and the source gets the reason', async () => {
    const [fw1, fw2] = await pair();
    await fw1.sync.push();
    const good = fw2.file(FW);
    fw1.write(FW, 'BAD rule\n');
    const r = await fw1.sync.push();
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATE', message: expect.stringContaining('line 1: syntax error') } });
    expect(fw2.file(FW)).toBe(good);
    expect(fw1.sync.status().lastPush).toMatchObject({ ok: false, error: expect.stringContaining('failed validation') });
    expect(fw1.sync.status().pending).toBe(true);
    expect(fw1.events.at(-1)).toMatchObject({ kind: 'push-failed', sections: ['fw'] });
    expect(fw2.events.at(-1)).toMatchObject({ kind: 'refused', sections: ['fw'] });
  });

  it('shows per section what a push would change on the peer, without changing it', async () => {
    const [fw1, fw2] = await pair();
    await fw1.sync.push();
    fw1.write(FW, 'iifname "enp3s0" ip daddr 10.0.1.2 accept\niifname "enp3s0" tcp dport 53 accept\n');
    const d = await fw1.sync.diff();
    expect(d).toEqual({ ok: true, value: [{ name: 'fw', diff: `${FW}:\n+ iifname "eth1" tcp dport 53 accept` }, { name: 'vips', diff: '' }] });
    expect(fw2.file(FW)).not.toContain('dport 53');
  });

  it('reports a hand edit on the receiver as drift on both nodes, and in-sync after the next push', async () => {
    const [fw1, fw2] = await pair();
    await fw1.sync.push();
    fw2.write(FW, 'iifname "eth1" ip daddr 10.0.1.3 accept\n# hand edit\n');
    await fw2.sync.check();
    expect(fw2.events.at(-1)).toMatchObject({ kind: 'drift', sections: ['fw'], cause: expect.stringContaining('changed on this node') });
    await fw1.sync.check();
    expect(fw1.sync.status().sections.find((s) => s.name === 'fw')?.state).toBe('drifted');
    expect(fw1.events.at(-1)).toMatchObject({ kind: 'drift', sections: ['fw'] });
    await fw1.sync.push();
    await fw2.sync.check();
    expect(fw2.file(FW)).not.toContain('hand edit');
    expect(fw2.events.slice(-2)).toEqual([
      { kind: 'in-sync', sections: ['fw'], cause: 'fw in sync again' },
      { kind: 'applied', sections: ['fw'], cause: expect.stringContaining('from fw1') },
    ]);
  });

  it('refuses pushes when both nodes are configured as the source', async () => {
    const [fw1, fw2] = await pair({ fw2Role: 'source' });
    const r = await fw1.sync.push();
    expect(r).toMatchObject({ ok: false, error: { code: 'TWO_SOURCES' } });
    expect(() => fw2.file(FW)).toThrow();
  });

  it('refuses a revision that needs a node value the receiver lacks, naming the override to add', async () => {
    const [fw1, fw2] = await pair({ fw2Values: { 'other.value': 'xyz' } });
    const r = await fw1.sync.push();
    expect(r).toMatchObject({ ok: false, error: { code: 'OVERRIDE_MISSING', message: expect.stringContaining('values.lan.address') } });
    expect(() => fw2.file(FW)).toThrow();
  });

  it('refuses a revision whose interface role maps to an interface this node does not have', async () => {
    const [fw1, fw2] = await pair({ fw2Interfaces: ['eth0'] });
    const r = await fw1.sync.push();
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERFACE_MISSING', message: expect.stringContaining('maps to eth1 on this node, but eth1 does not exist') } });
    expect(() => fw2.file(FW)).toThrow();
  });

  it('refuses a push from a peer speaking another protocol version or not configured as the source', async () => {
    const [, fw2] = await pair();
    const receive = (fw2.sync as unknown as { receive(p: unknown[]): Promise<unknown> }).receive.bind(fw2.sync);
    const r = await receive([{ protocol: 99, node: 'fw1', role: 'source' }, {}, { dryRun: false }]);
    expect(r).toMatchObject({ ok: false, error: { code: 'INCOMPATIBLE', message: expect.stringContaining('protocol 99') } });
    const fromReceiver = await receive([{ protocol: 1, node: 'fw1', role: 'receiver' }, {}, { dryRun: false }]);
    expect(fromReceiver).toMatchObject({ ok: false, error: { code: 'NOT_SOURCE', message: expect.stringContaining('fw1 is configured as a receiver') } });
  });

  it('a receiver does not push', async () => {
    const [, fw2] = await pair();
    expect(await fw2.sync.push()).toMatchObject({ ok: false, error: { code: 'NOT_SOURCE' } });
  });
});

describe('carpctl text', () => {
  it('shows each section with its state and the age of its last sync, and a failed push with its reason', async () => {
    const [fw1] = await pair();
    await fw1.sync.push();
    fw1.write(FW, 'BAD\n');
    await fw1.sync.push();
    const text = formatSyncStatus(fw1.sync.status());
    expect(text).toMatch(/^config sync: source, peer 127\.0\.0\.1:\d+ reachable .*a change is waiting to be pushed$/m);
    expect(text).toMatch(/^ {2}fw {8}DRIFTED {3}last sync \S+ \(\d s ago\)$/m);
    expect(text).toMatch(/^ {2}vips {6}IN-SYNC {3}last sync/m);
    expect(text).toContain('last push FAILED');
    expect(formatPush({ ok: false, error: { code: 'VALIDATE', message: 'x' } })).toBe('push failed (VALIDATE): x');
    expect(formatDiff([{ name: 'fw', diff: '' }, { name: 'vips', diff: '+ a' }])).toBe('== fw: no change\n== vips: \n+ a');
  });
});

describe('status on the control socket', () => {
  it('matches the wire schema carpctl parses', async () => {
    const [fw1, fw2] = await pair();
    await fw1.sync.push();
    for (const n of [fw1, fw2]) expect(configSyncStatusSchema.parse(JSON.parse(JSON.stringify(n.sync.status())))).toEqual(n.sync.status());
  });
});

describe('a section file missing on the source', () => {
  it('is refused on the source instead of deleting the file on the peer', async () => {
    const [fw1, fw2] = await pair();
    await fw1.sync.push();
    rmSync(join(fw1.root, VIPS));
    const r = await fw1.sync.push();
    expect(r).toMatchObject({ ok: false, error: { code: 'MISSING_FILE', message: expect.stringContaining(`${VIPS} of section "vips" does not exist`) } });
    expect(JSON.parse(fw2.file(VIPS)).advskew).toBe(100);
    expect(fw1.sync.status().sections.map((s) => s.state)).toEqual(['in-sync', 'unknown']);
  });
});
