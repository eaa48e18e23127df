import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../daemon/configsync/identity.js';
import { runOk, waitFor, type Lab, type LabNode, type LabProcess } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';

// Two firewalls with their own mount namespaces (private /var/lib/carpd holds the synced ruleset and state) on a
// sync link whose interface is "eth7" on fw1 and "ens9" on fw2 (mapped by the role "sync"). Real nft validates
// and applies on fw2.

const RULES = '/var/lib/carpd/fw/ruleset.nft';
const STATE = '/var/lib/carpd/state';
const PORT = 8443;

const ruleset = (extra: string) => `table inet cdlab
delete table inet cdlab
table inet cdlab {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "eth7" ip daddr 10.0.3.2 tcp dport 2222 accept
${extra}  }
}
`;
const DROP_PING = '    iifname "eth7" icmp type echo-request drop\n';

let fw1: LabNode;
let fw2: LabNode;
let bundle: string;
const runners = new Map<string, LabProcess>();

const inNs = (n: LabNode, p: string) => `/proc/${n.mountHolderPid}/root${p}`;

describe.skipIf(requireRoot(['nft', 'openssl']))('config sync lab (nft)', () => {
  const lab = useLab('cfgsync', async (l: Lab) => {
    const sync = await l.bridge('sync');
    fw1 = await l.node('fw1', { mountNs: true });
    fw2 = await l.node('fw2', { mountNs: true });
    await l.link(fw1, sync, { ifname: 'eth7', addrs: ['10.0.3.2/24'] });
    await l.link(fw2, sync, { ifname: 'ens9', addrs: ['10.0.3.3/24'] });
    bundle = join(l.dir, 'configsync-runner.cjs');
    await build({ entryPoints: [join(import.meta.dirname, 'runner.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'error' });
    const fps: string[] = [];
    for (const n of [fw1, fw2]) {
      await runOk(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(n.dir, 'node.key'), '-out', join(n.dir, 'node.crt'), '-days', '2', '-subj', `/CN=${n.name}`]);
      fps.push(fingerprintOf(readFileSync(join(n.dir, 'node.crt')))!);
    }
    for (const [i, n] of [fw1, fw2].entries()) {
      const configSync = {
        role: i === 0 ? 'source' : 'receiver',
        listen: i === 0 ? '10.0.3.2' : '10.0.3.3',
        port: PORT,
        peer: { address: i === 0 ? '10.0.3.3' : '10.0.3.2', port: PORT, fingerprint: fps[1 - i] },
        key: join(n.dir, 'node.key'),
        cert: join(n.dir, 'node.crt'),
        // fw2's apply takes a second, so the lab can kill it in the middle of one.
        sections: [{ name: 'nftables', files: [RULES], apply: i === 0 ? ['true'] : ['sh', '-c', 'sleep 1 && exec nft -f "$1"', 'apply', '{file}'] }],
        overrides: { interfaces: { sync: i === 0 ? 'eth7' : 'ens9' }, values: { 'sync.address': i === 0 ? '10.0.3.2' : '10.0.3.3' } },
        debounceMs: 200,
        checkInterval: 1,
      };
      writeFileSync(join(n.dir, 'configsync.json'), JSON.stringify({ node: n.name, stateDir: STATE, control: join(n.dir, 'control.sock'), configSync }));
      await l.execOk(n, ['mkdir', '-p', '/var/lib/carpd/fw']);
    }
    writeFileSync(inNs(fw1, RULES), ruleset(''));
    await start(l, fw2);
    await start(l, fw1);
  });

  async function start(l: Lab, n: LabNode): Promise<LabProcess> {
    const p = l.spawn(n, [process.execPath, bundle, join(n.dir, 'configsync.json')]);
    runners.set(n.name, p);
    await p.waitForOutput(/READY/, 15_000);
    return p;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field with toMatchObject
  function control(n: LabNode, cmd: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const s = connect(join(n.dir, 'control.sock'), () => s.write(`${JSON.stringify({ cmd })}\n`));
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => resolve(JSON.parse(out)));
      s.on('error', reject);
    });
  }

  const events = (n: LabNode) =>
    runners
      .get(n.name)!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('EVENT '))
      .map((l) => JSON.parse(l.slice(6)) as { kind: string; sections: string[]; cause: string });

  const nftTable = async (n: LabNode) => (await lab().exec(n, ['nft', 'list', 'table', 'inet', 'cdlab'])).stdout;
  const pingable = async () => (await lab().exec(fw1, ['ping', '-c', '1', '-W', '1', '10.0.3.3'])).code === 0;
  const settle = (n: LabNode, kind: string, after: number) => waitFor(`${n.name} event ${kind}`, () => events(n).slice(after).some((e) => e.kind === kind), 20_000);

  it('a rule added on the primary reaches the secondary, rendered with its own interface and address, applied by nft, checksums equal', async () => {
    // The first check after start pushes the initial ruleset.
    await settle(fw2, 'applied', 0);
    expect(await pingable()).toBe(true);
    const before = events(fw2).length;
    writeFileSync(inNs(fw1, RULES), ruleset(DROP_PING));
    await settle(fw2, 'applied', before);
    const onFw2 = readFileSync(inNs(fw2, RULES), 'utf8');
    expect(onFw2).toContain('iifname "ens9" ip daddr 10.0.3.3 tcp dport 2222 accept');
    expect(onFw2).toContain('iifname "ens9" icmp type echo-request drop');
    expect(await nftTable(fw2)).toMatch(/iifname "ens9" icmp type echo-request drop/);
    expect(await pingable()).toBe(false);
    await control(fw1, 'check');
    const s1 = await control(fw1, 'status');
    const s2 = await control(fw2, 'status');
    expect(s1.sections[0]).toMatchObject({ name: 'nftables', state: 'in-sync' });
    expect(s2.sections[0]).toMatchObject({ name: 'nftables', state: 'in-sync' });
    expect(s1.sections[0].checksum).toBe(s2.sections[0].checksum);
  });

  it('an invalid ruleset is rejected by nft on the secondary, which stays unchanged, and the primary reports why', async () => {
    const fileBefore = readFileSync(inNs(fw2, RULES), 'utf8');
    const nftBefore = await nftTable(fw2);
    const before = events(fw1).length;
    writeFileSync(inNs(fw1, RULES), ruleset('    iifname "eth7" tcp dport 22 acept\n'));
    await settle(fw1, 'push-failed', before);
    const failure = events(fw1).slice(before).find((e) => e.kind === 'push-failed')!;
    expect(failure.cause).toMatch(/VALIDATE: .*failed validation.*nft -c -f/s);
    expect(failure.cause).toContain('acept');
    expect(readFileSync(inNs(fw2, RULES), 'utf8')).toBe(fileBefore);
    expect(await nftTable(fw2)).toBe(nftBefore);
    expect((await control(fw1, 'status')).lastPush).toMatchObject({ ok: false });
  });

  it('dry run shows what a push would change on the secondary', async () => {
    writeFileSync(inNs(fw1, RULES), ruleset(DROP_PING + '    iifname "eth7" udp dport 53 accept\n'));
    const d = await control(fw1, 'diff');
    expect(d).toMatchObject({ ok: true, value: [{ name: 'nftables', diff: expect.stringContaining('+     iifname "ens9" udp dport 53 accept') }] });
    await waitFor('fw1 push of the fixed ruleset', async () => (await control(fw1, 'status')).pending === false, 20_000);
  });

  it('refuses an unpinned client certificate, plain HTTP and any other method, and changes nothing', async () => {
    const l = lab();
    await runOk(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(l.dir, 'rogue.key'), '-out', join(l.dir, 'rogue.crt'), '-days', '2', '-subj', '/CN=fw1']);
    const body = '<?xml version="1.0"?><methodCall><methodName>carpdeck.checksums</methodName><params/></methodCall>';
    const curl = (who: 'rogue' | 'fw1', url: string, xml = body) => {
      const [crt, key] = who === 'rogue' ? [join(l.dir, 'rogue.crt'), join(l.dir, 'rogue.key')] : [join(fw1.dir, 'node.crt'), join(fw1.dir, 'node.key')];
      return l.exec(fw1, ['curl', '-sk', '--max-time', '5', '-o', '-', '-w', '\n%{http_code}', '--cert', crt, '--key', key, '-H', 'Content-Type: text/xml', '--data-binary', xml, url]);
    };
    const fileBefore = readFileSync(inNs(fw2, RULES), 'utf8');
    const rogue = await curl('rogue', 'https://10.0.3.3:8443/RPC2');
    expect(rogue.stdout).toMatch(/not the pinned peer certificate\s+403$/);
    const plain = await curl('rogue', 'http://10.0.3.3:8443/RPC2');
    expect(plain.stdout).not.toContain('methodResponse');
    expect(plain.stdout).not.toMatch(/200$/);
    const exec = await curl('fw1', 'https://10.0.3.3:8443/RPC2', body.replace('carpdeck.checksums', 'system.exec'));
    expect(exec.stdout).toContain('no such method system.exec');
    const pinned = await curl('fw1', 'https://10.0.3.3:8443/RPC2');
    expect(pinned.stdout).toMatch(/<name>checksum<\/name>.*200$/s);
    expect(readFileSync(inNs(fw2, RULES), 'utf8')).toBe(fileBefore);
  });

  it('a hand edit on the secondary is reported as drift on both nodes', async () => {
    const before2 = events(fw2).length;
    const before1 = events(fw1).length;
    writeFileSync(inNs(fw2, RULES), readFileSync(inNs(fw2, RULES), 'utf8') + '# edited by hand\n');
    await settle(fw2, 'drift', before2);
    await settle(fw1, 'drift', before1);
    expect((await control(fw1, 'status')).sections[0].state).toBe('drifted');
  });

  it('a secondary killed in the middle of an apply comes back with the old revision, then catches up', async () => {
    const old = readFileSync(inNs(fw2, RULES), 'utf8');
    const journal = inNs(fw2, join(STATE, 'configsync', 'txn', 'journal.json'));
    writeFileSync(inNs(fw1, RULES), ruleset(''));
    const midApply = () => {
      try {
        return readFileSync(journal, 'utf8').includes('"prepared"');
      } catch {
        return false;
      }
    };
    await waitFor('fw2 mid-apply', midApply, 20_000, 10);
    runners.get('fw2')!.kill('SIGKILL');
    await runners.get('fw2')!.exited;
    const p = await start(lab(), fw2);
    await p.waitForOutput(/"kind":"recovered".*rolled-back/, 10_000);
    // Recovery put the old file back before anything else; the pending push then brings the new revision.
    expect(events(fw2).findIndex((e) => e.kind === 'recovered')).toBe(0);
    await settle(fw2, 'applied', 0);
    expect(readFileSync(inNs(fw2, RULES), 'utf8')).not.toBe(old);
    expect(readFileSync(inNs(fw2, RULES), 'utf8')).not.toContain('echo-request drop');
    expect(await pingable()).toBe(true);
  });
});
