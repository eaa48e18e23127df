// A unified diff (as `diff -u` prints it) of two small texts, for showing what a file on a node becomes.

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

function lines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** Line operations by longest common subsequence (configs are small: quadratic is fine). */
function ops(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push({ kind: ' ', line: a[i], a: i++, b: j++ });
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push({ kind: '-', line: a[i], a: i++, b: j });
    else out.push({ kind: '+', line: b[j], a: i, b: j++ });
  }
  return out;
}

/** `--- a/PATH` / `+++ b/PATH` and hunks with `context` lines around each change; empty when equal. */
export function unifiedDiff(path: string, before: string | null, after: string, context = 3): string {
  const a = lines(before);
  const b = lines(after);
  const all = ops(a, b);
  const changed = all.map((o, k) => (o.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(all.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const out = [`--- ${before === null ? '/dev/null' : `a${path}`}`, `+++ b${path}`];
  for (const [lo, hi] of hunks) {
    const part = all.slice(lo, hi + 1);
    const aLen = part.filter((o) => o.kind !== '+').length;
    const bLen = part.filter((o) => o.kind !== '-').length;
    const aStart = aLen === 0 ? part[0].a : part[0].a + 1;
    const bStart = bLen === 0 ? part[0].b : part[0].b + 1;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const o of part) out.push(`${o.kind}${o.line}`);
  }
  return `${out.join('\n')}\n`;
}
