import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, rowWindow, scrollTopForRow } from '../../../renderer/src/diagnostics/virtual-window.js';

const base = { rowHeight: 26, viewportHeight: 420, overscan: 8 };

describe('packet table windowing', () => {
  it('renders only the rows in view plus the overscan', () => {
    const w = rowWindow({ ...base, rowCount: 1000, scrollTop: 2600 });
    expect(w.start).toBe(100 - 8);
    expect(w.end).toBe(100 + Math.ceil(420 / 26) + 1 + 8);
    expect(w.scrollHeight).toBe(26_000);
    expect(w.topOf(100)).toBe(2600);
  });

  it('caps the scroll height for a million rows and still reaches the last row', () => {
    const rowCount = 1_000_000;
    expect(rowWindow({ ...base, rowCount, scrollTop: 0 }).scrollHeight).toBe(MAX_SCROLL_HEIGHT);
    const bottom = rowWindow({ ...base, rowCount, scrollTop: MAX_SCROLL_HEIGHT - 420 });
    expect(bottom.end).toBe(rowCount);
    expect(bottom.end - bottom.start).toBeLessThan(40);
    // The last row's bottom edge sits at the bottom of the viewport.
    expect(bottom.topOf(rowCount - 1) + 26).toBeCloseTo(MAX_SCROLL_HEIGHT, 3);
  });

  it('scrolls a requested row into view, also when the scrollbar is scaled', () => {
    for (const rowCount of [5000, 1_000_000]) {
      const target = Math.floor(rowCount * 0.7);
      const top = scrollTopForRow(target, rowCount, 26, 420);
      const w = rowWindow({ ...base, rowCount, scrollTop: top });
      const y = w.topOf(target) - top;
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(420 - 26);
      expect(target).toBeGreaterThanOrEqual(w.start);
      expect(target).toBeLessThan(w.end);
    }
  });

  it('handles an empty table', () => {
    const w = rowWindow({ ...base, rowCount: 0, scrollTop: 0 });
    expect([w.start, w.end, w.scrollHeight]).toEqual([0, 0, 0]);
  });
});

describe('keyboard scrolling', () => {
  it('puts a row at the top or bottom edge of the viewport', () => {
    for (const rowCount of [5000, 1_000_000]) {
      const row = Math.floor(rowCount / 3);
      const bottom = scrollTopForRow(row, rowCount, 26, 420, 'bottom');
      const top = scrollTopForRow(row, rowCount, 26, 420, 'top');
      const atBottom = rowWindow({ ...base, rowCount, scrollTop: bottom });
      const atTop = rowWindow({ ...base, rowCount, scrollTop: top });
      expect(atBottom.topOf(row) - bottom + 26).toBeCloseTo(420, 3);
      expect(atTop.topOf(row) - top).toBeCloseTo(0, 3);
    }
  });
});
