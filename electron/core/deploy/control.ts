// Talking to an installed carpd through carpctl over SSH, as root (the config and the socket are root's): status,
// maintenance, the event stream.
import { rootSession, type NodeSession } from '../ssh/privilege.js';
import { configFacts, type ConfigFacts } from './config.js';
import { DeployError } from './errors.js';
import { carpctlArgv, CONFIG } from './layout.js';

export async function installedFacts(login: NodeSession): Promise<ConfigFacts> {
  const session = await rootSession(login, 'reading the carpd config');
  const r = await session.exec(['cat', CONFIG]);
  if (r.code !== 0) throw new DeployError('not-installed', `${session.label}: carpd is not installed here (no ${CONFIG}); run carpdeck deploy first`, session.label);
  return configFacts(r.stdout, `${session.label}:${CONFIG}`);
}

async function carpctl(login: NodeSession, args: string[]): Promise<string> {
  const session = await rootSession(login, `carpctl ${args[0]}`);
  const { controlSocket } = await installedFacts(session);
  const r = await session.exec([...carpctlArgv(controlSocket), ...args]);
  if (r.code === 3) throw new DeployError('not-running', `${session.label}: carpd is not running (${r.stderr.replace(/^carpctl: /, '').trim()})`, session.label);
  if (r.code !== 0) throw new DeployError('remote-failed', `${session.label}: carpctl ${args.join(' ')}: ${(r.stderr || r.stdout).replace(/^carpctl: /, '').trim()}`, session.label);
  return r.stdout;
}

/** carpctl status as carpd formats it for people (state, why, demotion with reasons, counters). */
export async function remoteStatusText(session: NodeSession): Promise<string> {
  return (await carpctl(session, ['status'])).trimEnd();
}

/** carpctl status --json, parsed (the daemon's status object). */
export async function remoteStatus(session: NodeSession): Promise<unknown> {
  return JSON.parse(await carpctl(session, ['status', '--json']));
}

export async function setMaintenance(session: NodeSession, on: boolean): Promise<string> {
  const out = await carpctl(session, ['maintenance', on ? 'on' : 'off', '--json']);
  return (JSON.parse(out) as { message?: string }).message ?? out.trim();
}

/**
 * `carpctl events --follow --since SEQ --json` with a pty, so closing the channel hangs the remote carpctl up.
 * Calls onEvent for each JSON event line.
 */
export async function followEvents(login: NodeSession, since: number, onEvent: (event: Record<string, unknown>) => void, onOther: (line: string) => void) {
  const session = await rootSession(login, 'following carpd events');
  const { controlSocket } = await installedFacts(session);
  return session.lines([...carpctlArgv(controlSocket), 'events', '--follow', '--since', String(since), '--json'], (line) => {
    if (!line.trim()) return;
    try {
      onEvent(JSON.parse(line) as Record<string, unknown>);
    } catch {
      onOther(line);
    }
  }, { pty: true });
}
