/** Past this many findings, snapshots carry them only when the list changed or every FINDINGS_REFRESH_MS. */
export const MANY_FINDINGS = 20;
export const FINDINGS_REFRESH_MS = 5000;

/**
 * Whether a snapshot may leave its findings out: a busy segment can have hundreds (two thirds of a 200-group
 * snapshot's bytes), and they change slowly, so the same list (by kind and group) goes out at most every
 * FINDINGS_REFRESH_MS; a new or resolved finding goes out at once.
 */
export function lightFindings(): (findings: { kind: string; group?: string }[], now: number) => boolean {
  let sentKeys = '';
  let sentAt = 0;
  return (findings, now) => {
    const keys = findings.map((f) => `${f.kind} ${f.group ?? ''}`).join('\n');
    if (findings.length > MANY_FINDINGS && keys === sentKeys && now - sentAt < FINDINGS_REFRESH_MS) return true;
    sentKeys = keys;
    sentAt = now;
    return false;
  };
}
