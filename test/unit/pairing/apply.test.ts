// The two-phase apply's order with fake nodes: both staged before either activates; any failure rolls back every
// node touched, secondary first, and the error says what happened.
import { describe, expect, it } from 'vitest';
import { applyTwoPhase, ApplyError, type NodeOps } from '../../../electron/core/pairing/apply.js';
import { StepLog } from '../../../electron/core/pairing/steps.js';
import type { NodeRole, PairStep } from '../../../shared/pairing/schema.js';

type Action = 'snapshot' | 'stage' | 'activate' | 'rollback' | 'finish';

function fakeNodes(failAt: Partial<Record<NodeRole, Action>> = {}, rollbackFails: NodeRole[] = []) {
  const calls: string[] = [];
  const make = (role: NodeRole): NodeOps => {
    const act = (a: Action) => async () => {
      calls.push(`${a} ${role}`);
      await new Promise((r) => setTimeout(r, role === 'primary' ? 5 : 1));
      if (failAt[role] === a || (a === 'rollback' && rollbackFails.includes(role))) throw Object.assign(new Error(`${role} ${a} broke`), { where: role });
      return `${a} ${role} ok`;
    };
    const finish = act('finish');
    return { role, label: `root@${role}`, snapshot: act('snapshot'), stage: act('stage'), activate: act('activate'), rollback: act('rollback'), finish: async () => void (await finish()) };
  };
  return { calls, nodes: { primary: make('primary'), secondary: make('secondary') } };
}

async function run(failAt?: Partial<Record<NodeRole, Action>>, rollbackFails?: NodeRole[]) {
  const { calls, nodes } = fakeNodes(failAt, rollbackFails);
  const steps: PairStep[] = [];
  const error = await applyTwoPhase(nodes, new StepLog(), (s) => void steps.push(s)).then(
    () => undefined,
    (e: unknown) => e as ApplyError,
  );
  return { calls, steps, error };
}

describe('two-phase apply', () => {
  it('stages both nodes before activating either, and activates the primary first', async () => {
    const { calls, error, steps } = await run();
    expect(error).toBeUndefined();
    expect(calls.slice(0, 2)).toEqual(['snapshot primary', 'snapshot secondary']);
    expect(calls.slice(2, 4).sort()).toEqual(['stage primary', 'stage secondary']);
    expect(calls.slice(4)).toEqual(['activate primary', 'activate secondary', 'finish primary', 'finish secondary']);
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i));
    expect(steps.find((s) => s.phase === 'validate')?.message).toMatch(/Both nodes staged/);
  });

  it('a staging failure on the secondary activates nothing and rolls back both, secondary first', async () => {
    const { calls, error, steps } = await run({ secondary: 'stage' });
    expect(calls.filter((c) => c.startsWith('activate'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('rollback'))).toEqual(['rollback secondary', 'rollback primary']);
    // the primary's stage was allowed to finish before anything was rolled back
    expect(calls.indexOf('stage primary')).toBeLessThan(calls.indexOf('rollback secondary'));
    expect(error).toBeInstanceOf(ApplyError);
    expect(error?.message).toBe('secondary stage broke; both nodes were rolled back to what they were before');
    expect(error?.rolledBack).toBe(true);
    expect(steps.filter((s) => s.status === 'failed').map((s) => s.message)).toEqual([expect.stringMatching(/^Staging .* on root@secondary: secondary stage broke$/)]);
  });

  it('an activation failure on the secondary rolls back the already running primary too', async () => {
    const { calls, error } = await run({ secondary: 'activate' });
    // the primary's backup is kept until both run: its rollback still has it
    expect(calls.slice(-4)).toEqual(['activate primary', 'activate secondary', 'rollback secondary', 'rollback primary']);
    expect(calls.filter((c) => c.startsWith('finish'))).toEqual([]);
    expect(error?.where).toBe('secondary');
  });

  it('a failure on the primary never touches the secondary beyond what it recorded', async () => {
    const { calls } = await run({ primary: 'snapshot' });
    expect(calls).toEqual(['snapshot primary', 'rollback primary']);
  });

  it('a failure removing the backups after success is reported, not rolled back', async () => {
    const { calls, error, steps } = await run({ primary: 'finish' });
    expect(error).toBeUndefined();
    expect(calls.filter((c) => c.startsWith('rollback'))).toEqual([]);
    expect(steps.at(-1)?.message).toMatch(/^Left the pairing backup on root@primary \(primary finish broke\)/);
  });

  it('keeps rolling back the other node when one rollback fails, and says the rollback is incomplete', async () => {
    const { calls, error } = await run({ secondary: 'activate' }, ['secondary']);
    expect(calls.slice(-2)).toEqual(['rollback secondary', 'rollback primary']);
    expect(error?.rolledBack).toBe(false);
    expect(error?.message).toMatch(/the rollback did not complete on every node/);
  });
});
