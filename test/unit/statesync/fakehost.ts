import type { Child, ChildExit, ExecResult, HostDeps } from '../../../daemon/statesync/deps.js';
import { statsText } from './fixtures.js';

/** A scripted host: a conntrackd that answers from `state`, a clock advanced by the test. */
export class FakeHost implements HostDeps {
  clock = 0;
  calls: string[] = [];
  children: { child: Child; exit: (e: ChildExit) => void; killed: string[] }[] = [];
  state = {
    stats: { internal: [0, 0, 0, 0], external: [0, 0, 0, 0], recv: 0, sent: 0, lost: 0 } as Parameters<typeof statsText>[0],
    eventsReceived: 0,
    kernelCount: 0,
    commitMs: 0,
    failing: new Set<string>(),
    addr: [{ family: 'inet', local: '10.0.3.2', scope: 'global' }] as { family: string; local: string; scope: string }[],
    flags: ['BROADCAST', 'UP', 'LOWER_UP'],
    interfaceExists: true,
    pingOk: true,
    acct: '1',
    installed: true,
  };

  now = () => this.clock;

  exec = async (argv: readonly string[]): Promise<ExecResult> => {
    const line = argv.join(' ');
    this.calls.push(line);
    const ok = (stdout: string): ExecResult => ({ code: 0, stdout, stderr: '' });
    const fail = (stderr: string): ExecResult => ({ code: 1, stdout: '', stderr });
    const s = this.state;
    if (argv[0] === 'ip') return s.interfaceExists ? ok(JSON.stringify([{ ifname: argv[5], flags: s.flags, operstate: s.flags.includes('LOWER_UP') ? 'UP' : 'DOWN', addr_info: s.addr }])) : fail('Device does not exist');
    if (argv[0] === 'ping') return s.pingOk ? ok('') : fail('');
    if (argv[0] === 'sysctl') {
      if (argv[2] === 'net.netfilter.nf_conntrack_acct') return ok(`${s.acct}\n`);
      return ok(`${s.kernelCount}\n`);
    }
    if (argv[1] === '-v') return s.installed ? ok('Connection tracking userspace daemon v1.4.7.\n') : { code: null, stdout: '', stderr: 'spawn conntrackd ENOENT' };
    const op = argv.slice(3).join(' ');
    if (s.failing.has(op) || op === '-k') return fail(`cannot connect to ${argv[2]}`);
    if (op === '-s') return ok(statsText(s.stats));
    if (op === '-s runtime') return ok(`netlink stats:\n\tevents received:\t${s.eventsReceived}\n`);
    if (op === '-c') this.clock += s.commitMs;
    return ok('');
  };

  spawn = (argv: readonly string[]): Child => {
    this.calls.push(`spawn ${argv.join(' ')}`);
    let exit!: (e: ChildExit) => void;
    const exited = new Promise<ChildExit>((r) => (exit = r));
    const entry = { child: undefined as unknown as Child, exit, killed: [] as string[] };
    entry.child = {
      pid: 1000 + this.children.length,
      exited,
      kill: (sig) => {
        entry.killed.push(sig);
        if (sig === 'SIGTERM' || sig === 'SIGKILL') exit({ code: null, signal: sig });
      },
      tail: () => 'conntrackd: [ERROR] something broke\n',
    };
    this.children.push(entry);
    return entry.child;
  };

  /** conntrackd commands (everything after -C FILE) other than the polls and the start-up check for a leftover. */
  commands(): string[] {
    return this.calls.filter((c) => c.startsWith('conntrackd -C ')).map((c) => c.split(' ').slice(3).join(' ')).filter((c) => !c.startsWith('-s') && c !== '-k');
  }
}
