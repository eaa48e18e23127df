/**
 * Windowing for the packet table. Browsers cap an element's height (Firefox near 17.9 million px), so past
 * MAX_SCROLL_HEIGHT the scrollbar maps proportionally onto the rows instead of one pixel per pixel.
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface WindowInput {
  rowCount: number;
  rowHeight: number;
  viewportHeight: number;
  scrollTop: number;
  overscan: number;
}

export interface RowWindow {
  /** First row to render (inclusive) and last (exclusive), as view positions. */
  start: number;
  end: number;
  /** Height of the scrollable content. */
  scrollHeight: number;
  /** Top of the view row `i` inside the scrollable content. */
  topOf(i: number): number;
}

function scale(rowCount: number, rowHeight: number, viewportHeight: number) {
  const fullHeight = rowCount * rowHeight;
  const scrollHeight = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
  return {
    scrollHeight,
    maxScroll: Math.max(0, scrollHeight - viewportHeight),
    maxContentScroll: Math.max(0, fullHeight - viewportHeight),
  };
}

export function rowWindow({ rowCount, rowHeight, viewportHeight, scrollTop, overscan }: WindowInput): RowWindow {
  const { scrollHeight, maxScroll, maxContentScroll } = scale(rowCount, rowHeight, viewportHeight);
  const clamped = Math.min(Math.max(0, scrollTop), maxScroll);
  const contentTop = maxScroll > 0 ? (clamped / maxScroll) * maxContentScroll : 0;
  const first = Math.floor(contentTop / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(rowCount, first + visible + overscan),
    scrollHeight,
    topOf: (i) => clamped + i * rowHeight - contentTop,
  };
}

/**
 * The scrollTop that shows view row `i`: a third of the way down the viewport (jumps), or at its top or bottom
 * edge (keyboard steps).
 */
export function scrollTopForRow(
  i: number,
  rowCount: number,
  rowHeight: number,
  viewportHeight: number,
  align: 'third' | 'top' | 'bottom' = 'third',
): number {
  const { maxScroll, maxContentScroll } = scale(rowCount, rowHeight, viewportHeight);
  const offset = align === 'top' ? 0 : align === 'bottom' ? viewportHeight - rowHeight : viewportHeight / 3;
  const contentTop = Math.min(maxContentScroll, Math.max(0, i * rowHeight - offset));
  return maxContentScroll > 0 ? (contentTop / maxContentScroll) * maxScroll : 0;
}
