// A scripted PreflightSession: each command is answered by the first rule whose matcher accepts its argv; every
// argv is recorded so tests can assert exactly what would have run on the node.
import type { ExecResult, LineStream } from '../../../../electron/core/ssh/session.js';
import type { PreflightSession } from '../../../../electron/core/pairing/preflight/session.js';

export type Answer = Partial<ExecResult> | ((argv: readonly string[]) => Partial<ExecResult>);

export class FakeSession implements PreflightSession {
  readonly ran: string[][] = [];
  readonly target = { user: 'root', host: '192.0.2.10', port: 22 };

  constructor(
    readonly label: string,
    private readonly rules: [(argv: readonly string[]) => boolean, Answer][],
  ) {}

  async exec(argv: readonly string[]): Promise<ExecResult> {
    this.ran.push([...argv]);
    const rule = this.rules.find(([m]) => m(argv));
    const a = rule ? (typeof rule[1] === 'function' ? rule[1](argv) : rule[1]) : { code: 127, stderr: `${argv[0]}: not found` };
    return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
  }

  async lines(argv: readonly string[], onLine: (line: string) => void, opts?: { onStderr?: (text: string) => void }): Promise<LineStream> {
    const r = await this.exec(argv);
    if (r.stderr) opts?.onStderr?.(r.stderr);
    for (const line of r.stdout.split('\n')) if (line) onLine(line);
    return { stop: () => undefined, done: Promise.resolve({ code: r.code }) };
  }
}

/** Matches an argv whose words include all of `words` (in any position). */
export const has = (...words: string[]) => (argv: readonly string[]) => words.every((w) => argv.some((a) => a === w || a.includes(w)));
