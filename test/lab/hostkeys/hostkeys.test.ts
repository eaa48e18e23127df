// A firewall reinstalled behind CarpDeck's back, against real sshd in the lab: the key pinned on first use, the node's
// host key regenerated (ssh-keygen on the node, sshd re-reads it on SIGHUP), the connection refused with both
// fingerprints as data, a replace with a fingerprint the node does not offer refused (API and CLI), the right one
// pinned, and the node connects again without a prompt.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectUpdate } from '../../../shared/api/cluster-contract.js';
import { ClusterService } from '../../../electron/core/cluster/service.js';
import { MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import { scanHostKey } from '../../../electron/core/ssh/connect.js';
import { prepareCli, type Cli } from '../deploy/cli.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');
if (!canRun) console.warn('host keys lab suite skipped: needs root and /usr/sbin/sshd (openssh-server)');

interface LabNode {
  address: string;
  user: string;
  keyFile: string;
  hostKeyFingerprint: string;
}

const name = `hk${process.pid % 100000}`;
let cli: Cli;
let fw: LabNode;
let other: LabNode;
let service: ClusterService;
const id = () => `root@${fw.address}`;

async function connect(): Promise<ConnectUpdate[]> {
  const updates: ConnectUpdate[] = [];
  for await (const u of service.connect({ target: id(), identity: fw.keyFile })) {
    updates.push(u);
    if (u.kind === 'prompt') service.answer(u.prompt.id, { accept: u.prompt.type === 'host-key' && u.prompt.fingerprint === fw.hostKeyFingerprint });
  }
  return updates;
}

/** What the technician does on the console: new host key, sshd told to re-read it; returns the fingerprint ssh-keygen -lf prints. */
function regenerateHostKey(): string {
  const script = [
    'rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub',
    "ssh-keygen -q -t ed25519 -N '' -C reinstalled -f /etc/ssh/ssh_host_ed25519_key",
    'kill -HUP "$(cat /run/sshd.pid)"',
    'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
  ].join(' && ');
  const out = execFileSync('ssh', ['-i', fw.keyFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${fw.user}@${fw.address}`, script], { encoding: 'utf8' });
  const fp = /SHA256:[A-Za-z0-9+/]{43}/.exec(out)?.[0];
  if (!fp) throw new Error(`ssh-keygen -lf printed no fingerprint: ${out}`);
  return fp;
}

async function offered(fingerprint: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const key = await scanHostKey({ user: 'root', host: fw.address, port: 22 }, 3000).catch(() => undefined);
    if (key?.fingerprint === fingerprint) return;
    if (Date.now() > deadline) throw new Error(`sshd on ${fw.address} still offers ${key?.fingerprint ?? 'nothing'}, not ${fingerprint}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!canRun)('replacing a changed host key against real sshd', () => {
  beforeAll(async () => {
    cli = await prepareCli();
    const up = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(up.code, up.stderr).toBe(0);
    [fw, other] = (JSON.parse(up.stdout) as { nodes: LabNode[] }).nodes;
    service = new ClusterService({ credentials: new MemoryCredentialStore(), knownHostsFile: cli.knownHosts, pollMs: 60_000 });
  });

  afterAll(async () => {
    service?.dispose();
    if (cli) {
      await cli.run(['lab', 'down', '--name', name]);
      rmSync(cli.root, { recursive: true, force: true });
    }
  });

  it('after a reinstall the key is refused with both fingerprints; only the key the node offers now can replace the pin; then it connects', async () => {
    const first = await connect();
    expect(first.map((u) => u.kind)).toEqual(['prompt', 'connected']);
    service.disconnect(id());
    const old = fw.hostKeyFingerprint;

    const fresh = regenerateHostKey();
    expect(fresh).not.toBe(old);
    await offered(fresh);

    const refused = await connect();
    expect(refused).toEqual([
      {
        kind: 'failed',
        error: {
          code: 'host-key-changed',
          message: expect.stringContaining(`WARNING: the host key of ${id()} has CHANGED. Pinned: ssh-ed25519 ${old}`),
          fix: expect.any(String),
          hostKey: { target: id(), host: fw.address, port: 22, keyType: 'ssh-ed25519', pinnedKeyType: 'ssh-ed25519', pinnedFingerprint: old, offeredFingerprint: fresh, pinnedSince: expect.any(String) },
        },
      },
    ]);

    const list = await cli.run(['known-hosts', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ ok: true, hosts: [{ target: fw.address, port: 22, keyType: 'ssh-ed25519', fingerprint: old }] });

    const wrongCli = await cli.run(['known-hosts', 'replace', fw.address, '--fingerprint', other.hostKeyFingerprint]);
    expect(wrongCli.code).toBe(1);
    expect(wrongCli.stderr).toContain(`${fw.address} offers ssh-ed25519 ${fresh} right now, not the ${other.hostKeyFingerprint} you confirmed`);
    expect(await service.hostKeyReplace({ target: id(), expectedOld: old, newFingerprint: other.hostKeyFingerprint })).toMatchObject({ ok: false, error: { code: 'host-key-offered-differs' } });
    expect(await service.hostKeyReplace({ target: id(), expectedOld: fresh, newFingerprint: fresh })).toMatchObject({ ok: false, error: { code: 'host-key-pin-differs' } });
    expect(service.hostKeyList()).toMatchObject({ ok: true, hosts: [{ fingerprint: old }] });

    expect(await service.hostKeyReplace({ target: id(), expectedOld: old, newFingerprint: fresh })).toMatchObject({ ok: true, previous: { fingerprint: old }, pinned: { fingerprint: fresh } });
    expect(await connect()).toEqual([{ kind: 'connected', node: id(), fingerprint: fresh }]);

    const forget = await cli.run(['known-hosts', 'forget', fw.address]);
    expect(forget.stdout).toContain(`forgot ${fw.address} (ssh-ed25519 ${fresh})`);
    expect(JSON.parse((await cli.run(['known-hosts', 'list', '--json'])).stdout)).toEqual({ ok: true, file: cli.knownHosts, hosts: [] });
  });
});
