import { describe, expect, it } from 'vitest';
import { FINDINGS_REFRESH_MS, lightFindings, MANY_FINDINGS } from '../../../electron/core/discovery/light-findings.js';

const many = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'irregular-interval', group: `carp:${i + 1}` }));

describe('streamed snapshots on a busy segment', () => {
  it('leave out an unchanged list of many findings until it is FINDINGS_REFRESH_MS old', () => {
    const omit = lightFindings();
    const list = many(MANY_FINDINGS + 5);
    expect(omit(list, 0)).toBe(false);
    expect(omit(list, 1000)).toBe(true);
    expect(omit([...list], FINDINGS_REFRESH_MS - 1)).toBe(true);
    expect(omit(list, FINDINGS_REFRESH_MS)).toBe(false);
    expect(omit(list, FINDINGS_REFRESH_MS + 1000)).toBe(true);
  });

  it('carry the findings at once when one appears or goes, and always when there are few', () => {
    const omit = lightFindings();
    const list = many(MANY_FINDINGS + 5);
    omit(list, 0);
    expect(omit([...list, { kind: 'split-brain', group: 'carp:3' }], 100)).toBe(false);
    expect(omit(list, 200)).toBe(false);
    const few = many(MANY_FINDINGS);
    expect(omit(few, 300)).toBe(false);
    expect(omit(few, 400)).toBe(false);
  });
});
