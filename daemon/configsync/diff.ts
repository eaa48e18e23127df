const MAX_LINES = 3000;

/** A line diff ("- old", "+ new", context lines dropped) of two texts; null stands for an absent file. */
export function lineDiff(path: string, before: string | null, after: string | null): string {
  if (before === after) return '';
  if (before === null) return `${path}: created (${lines(after!).length} lines)\n` + lines(after!).map((l) => `+ ${l}`).join('\n');
  if (after === null) return `${path}: deleted`;
  const a = lines(before);
  const b = lines(after);
  if (a.length > MAX_LINES || b.length > MAX_LINES) return `${path}: changed (${a.length} -> ${b.length} lines, too long to show line by line)`;
  // Longest common subsequence table, then walk it to emit removals and additions in order.
  const w = b.length + 1;
  const t = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  const out: string[] = [`${path}:`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || t[i * w + j + 1] >= t[(i + 1) * w + j])) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out.join('\n');
}

function lines(s: string): string[] {
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}
