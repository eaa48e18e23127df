import { describe, expect, it } from 'vitest';
import { flowSurvived, longestGap, lostBetween, type ProbeRecord } from '../../../electron/core/pairing/probe.js';

const record = (replies: number[], outstanding: [number, number][] = [], answered: number[] = [], echoes: number[] = [], breaks: { time: number; reason: string }[] = []): ProbeRecord => ({
  replies,
  outstanding: new Map(outstanding),
  answered: new Set(answered),
  echoes,
  breaks,
});

describe('drill measurements', () => {
  it('the interruption is the longest reply gap in the window, counting the gap across its start and an outage still open at its end', () => {
    const replies = [0, 20, 40, 60, 400, 420, 440];
    expect(longestGap(replies, 50, 440)).toBe(340);
    expect(longestGap(replies, 0, 60)).toBe(20);
    expect(longestGap([0, 20, 40], 30, 1000)).toBe(960);
  });

  it('counts probes reported unanswered in the window that never got an answer', () => {
    const r = record([], [[5, 100], [6, 120], [7, 140], [9, 900]], [6]);
    expect(lostBetween(r, 100, 500)).toBe(2);
    expect(lostBetween(r, 0, 1000)).toBe(3);
  });

  it('a flow survived when it did not break in the window and echoed in its last second', () => {
    expect(flowSurvived(record([], [], [], [100, 150, 4_950]), 0, 5_000)).toBe(true);
    expect(flowSurvived(record([], [], [], [100, 150]), 0, 5_000)).toBe(false);
    expect(flowSurvived(record([], [], [], [100, 4_950], [{ time: 2_000, reason: 'ECONNRESET' }]), 0, 5_000)).toBe(false);
  });
});
