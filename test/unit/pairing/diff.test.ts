import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../electron/core/pairing/diff.js';

describe('unified diff of a node file', () => {
  it('shows a changed line as removed then added, with three lines of context and correct hunk ranges', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].join('\n') + '\n';
    const after = before.replace('e\n', 'E\n');
    expect(unifiedDiff('/etc/x', before, after)).toBe(['--- a/etc/x', '+++ b/etc/x', '@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ''].join('\n'));
  });

  it('shows a new file against /dev/null, every line added', () => {
    expect(unifiedDiff('/etc/carpd/vips.json', null, '{\n}\n')).toBe('--- /dev/null\n+++ b/etc/carpd/vips.json\n@@ -0,0 +1,2 @@\n+{\n+}\n');
  });

  it('is empty when nothing changes, and splits distant changes into separate hunks', () => {
    expect(unifiedDiff('/f', 'x\ny\n', 'x\ny\n')).toBe('');
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
    const after = before.replace('l1\n', 'L1\n').replace('l18\n', 'L18\n');
    const d = unifiedDiff('/f', before, after);
    expect(d.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  });
});
