import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { glibcAtLeast, localBundle } from '../../../electron/core/deploy/artifacts.js';
import { configFacts } from '../../../electron/core/deploy/config.js';
import { DeployError } from '../../../electron/core/deploy/errors.js';
import { EventMerger, type NodeEvent } from '../../../electron/core/deploy/events.js';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { keepConnected, type ConnectionState } from '../../../electron/core/ssh/reconnect.js';
import type { SshSession } from '../../../electron/core/ssh/session.js';

const dir = mkdtempSync(join(tmpdir(), 'carpdeck-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeRoot(carpd: string): string {
  const root = mkdtempSync(join(dir, 'root-'));
  mkdirSync(join(root, 'dist', 'daemon'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'cap', 'lib'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'cap', 'build', 'Release'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"version":"1.2.3"}');
  writeFileSync(join(root, 'dist', 'daemon', 'carpd.cjs'), carpd);
  writeFileSync(join(root, 'dist', 'daemon', 'carpctl.cjs'), 'carpctl');
  for (const f of ['package.json', 'lib/Cap.js', 'lib/Decoders.js', 'build/Release/cap.node']) writeFileSync(join(root, 'node_modules', 'cap', f), f);
  return root;
}

describe('the carpd bundle', () => {
  it('names every file by its SHA-256 and versions the set, so only changed files make a new version', async () => {
    const a = await localBundle(fakeRoot('daemon v1'));
    const b = await localBundle(fakeRoot('daemon v1'));
    const c = await localBundle(fakeRoot('daemon v2'));
    const carpd = a.artifacts.find((x) => x.path === 'carpd.cjs')!;
    expect(carpd.sha256).toBe(createHash('sha256').update('daemon v1').digest('hex'));
    expect(a.artifacts.map((x) => x.path)).toEqual(['carpd.cjs', 'carpctl.cjs', 'node', 'node_modules/cap/package.json', 'node_modules/cap/lib/Cap.js', 'node_modules/cap/lib/Decoders.js', 'node_modules/cap/build/Release/cap.node']);
    expect(a.artifacts.find((x) => x.path === 'node')!.localPath).toBe(process.execPath);
    expect(a.version).toMatch(/^1\.2\.3-[0-9a-f]{12}$/);
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
    expect(c.artifacts.find((x) => x.path === 'node')!.sha256).toBe(a.artifacts.find((x) => x.path === 'node')!.sha256);
  });

  it('says how to build what is missing', async () => {
    const root = fakeRoot('x');
    rmSync(join(root, 'node_modules', 'cap', 'build'), { recursive: true });
    await expect(localBundle(root)).rejects.toThrow(/cap\.node is missing: run "npm ci"/);
  });

  it('compares glibc versions numerically', () => {
    expect(glibcAtLeast('2.36', '2.28')).toBe(true);
    expect(glibcAtLeast('2.36', '2.36')).toBe(true);
    expect(glibcAtLeast('2.9', '2.28')).toBe(false);
    expect(glibcAtLeast('3.0', '2.40')).toBe(true);
  });

  it('reads the socket, state dir and VIPs from a config and rejects what is not a JSON object', () => {
    expect(configFacts('{"node":"fw1","vhids":[{"vhid":1,"interface":"lan","vips":["10.0.1.1/24"]}]}', 'f')).toEqual({
      controlSocket: '/run/carpd.sock',
      stateDir: '/var/lib/carpd',
      vips: [{ interface: 'lan', vip: '10.0.1.1/24' }],
    });
    expect(configFacts('{"controlSocket":"/run/x.sock","stateDir":"/srv/c"}', 'f')).toMatchObject({ controlSocket: '/run/x.sock', stateDir: '/srv/c' });
    expect(() => configFacts('{"node":', 'fw1.json')).toThrow(DeployError);
    expect(() => configFacts('{"node":', 'fw1.json')).toThrow(/fw1\.json is not JSON/);
    expect(() => configFacts('[1]', 'fw1.json')).toThrow(/must hold a JSON object/);
  });
});

describe('following events across reconnects', () => {
  /** A node whose log has events 1..n; each connection streams the events after `since` and then drops. */
  function flakyNode(log: number[], dropsAfter: number[]) {
    let connection = 0;
    const sessions: number[] = [];
    return {
      sessions,
      connect: async () => {
        connection++;
        if (connection === 2) throw new SshError('unreachable', 'down for a moment', 'fw1');
        return { close: () => undefined, label: 'fw1' } as unknown as SshSession;
      },
      stream: (since: number, push: (e: Record<string, unknown>) => void) => {
        sessions.push(since);
        // a reopened stream repeats its backlog from `since`, and once from a bit earlier to prove duplicates drop
        const from = Math.max(0, since - 1);
        const upTo = dropsAfter[sessions.length - 1] ?? log.length;
        for (const seq of log.filter((s) => s > from && s <= upTo)) push({ seq, time: `2026-01-01T00:00:${String(seq).padStart(2, '0')}Z` });
      },
    };
  }

  it('resumes each stream after the last seq seen, with no gap and no repeat, and gives up on permanent errors', async () => {
    const out: NodeEvent[] = [];
    const merger = new EventMerger((e) => out.push(e), 0);
    const node = flakyNode([1, 2, 3, 4, 5, 6, 7, 8], [3, 5]);
    const states: ConnectionState['state'][] = [];
    const abort = new AbortController();
    let uses = 0;
    await keepConnected({
      signal: abort.signal,
      backoff: () => 1,
      onState: (s) => states.push(s.state),
      connect: node.connect,
      use: async () => {
        node.stream(merger.since('fw1'), (e) => merger.push('fw1', e));
        if (++uses === 3) abort.abort();
      },
    });
    merger.flush(true);
    expect(out.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(node.sessions).toEqual([0, 3, 5]);
    expect(states).toEqual(['connecting', 'ready', 'backoff', 'connecting', 'backoff', 'connecting', 'ready', 'backoff', 'connecting', 'ready']);

    await expect(
      keepConnected({
        signal: new AbortController().signal,
        backoff: () => 1,
        onState: () => undefined,
        connect: async () => {
          throw new SshError('auth-failed', 'wrong password', 'fw1');
        },
        use: async () => undefined,
      }),
    ).rejects.toThrow(/wrong password/);
  });
});
