import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../daemon/events/log.js';

const state = (n: number) => ({ kind: 'state' as const, vhid: 1, interface: 'lan', old: 'BACKUP' as const, new: 'MASTER' as const, cause: `cause ${n}` });

describe('carpd event log', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'carpd-events-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('continues sequence numbers after a restart and keeps the earlier events', () => {
    const dir = tmp();
    const first = new EventLog(dir, 'fw1', 100);
    first.append(state(1));
    first.append({ kind: 'demotion', vhid: null, old: 0, new: 240, cause: 'demoted by 240 to 240 (link down on wan)' });
    const second = new EventLog(dir, 'fw1', 100);
    const e = second.append(state(3));
    expect(e.seq).toBe(3);
    expect(second.since(0).map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(second.since(2).map((x) => x.cause)).toEqual(['cause 3']);
  });

  it('writes one JSON line per event with seq, time, node, vhid, old, new and cause', () => {
    const dir = tmp();
    new EventLog(dir, 'fw1', 100).append(state(1), new Date('2026-01-02T03:04:05.678Z'));
    const line = JSON.parse(readFileSync(join(dir, 'events.jsonl'), 'utf8').trim());
    expect(line).toEqual({ seq: 1, time: '2026-01-02T03:04:05.678Z', node: 'fw1', kind: 'state', vhid: 1, interface: 'lan', old: 'BACKUP', new: 'MASTER', cause: 'cause 1' });
  });

  it('stays bounded: rotates at the line limit and keeps at most two files', () => {
    const dir = tmp();
    const log = new EventLog(dir, 'fw1', 100);
    for (let i = 1; i <= 250; i++) log.append(state(i));
    const lines = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n').length;
    expect(lines('events.jsonl')).toBe(50);
    expect(lines('events.jsonl.1')).toBe(100);
    expect(log.since(0)).toHaveLength(100);
    expect(new EventLog(dir, 'fw1', 100).append(state(251)).seq).toBe(251);
  });

  it('keeps working in memory and says so once when the file cannot be written', () => {
    const dir = tmp();
    const problems: string[] = [];
    const log = new EventLog(dir, 'fw1', 100, (m) => problems.push(m));
    rmSync(dir, { recursive: true, force: true });
    log.append(state(1));
    log.append(state(2));
    expect(log.since(0).map((e) => e.seq)).toEqual([1, 2]);
    expect(problems).toEqual([expect.stringMatching(/^cannot write event log .*events\.jsonl: ENOENT; events are kept in memory only$/)]);
  });

  it('skips a torn last line left by a crash', () => {
    const dir = tmp();
    const log = new EventLog(dir, 'fw1', 100);
    log.append(state(1));
    appendFileSync(join(dir, 'events.jsonl'), '{"seq":2,"ti');
    expect(new EventLog(dir, 'fw1', 100).append(state(2)).seq).toBe(2);
  });
});
