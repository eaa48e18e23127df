// Uninstall: stop carpd (it bows out and removes its VIPs), remove any VIP still there (a crashed carpd), then every
// file deploy put on the node. Leaves no process, no VIP, no file.
import { rootSession, type NodeSession } from '../ssh/privilege.js';
import { configFacts, type ConfigFacts } from './config.js';
import { CARPD_LOG, CARPD_PID, CONFIG, CONFIG_DIR, OPT, SUPERVISOR_PID, UNIT } from './layout.js';
import { must } from './remote.js';
import { detectServiceManager, stopService } from './service.js';

export interface UninstallResult {
  node: string;
  wasInstalled: boolean;
  vipsRemoved: string[];
}

export async function uninstallFrom(login: NodeSession): Promise<UninstallResult> {
  const session = await rootSession(login, 'uninstall');
  const cfg = await session.exec(['cat', CONFIG]);
  const facts: ConfigFacts | undefined = cfg.code === 0 ? configFacts(cfg.stdout, CONFIG) : undefined;
  const hasOpt = (await session.exec(['test', '-e', OPT])).code === 0;
  const manager = await detectServiceManager(session);
  if (manager === 'systemd') {
    await session.exec(['systemctl', 'disable', '--now', 'carpd.service']);
  } else if (hasOpt || (await session.exec(['test', '-e', SUPERVISOR_PID])).code === 0) {
    await stopService(session, manager);
  }
  const vipsRemoved: string[] = [];
  for (const { interface: ifname, vip } of facts?.vips ?? []) {
    const shown = await session.exec(['ip', '-o', 'addr', 'show', 'to', vip.split('/')[0]]);
    for (const line of shown.stdout.split('\n').filter(Boolean)) {
      const dev = line.split(/\s+/)[1];
      await must(session, ['ip', 'addr', 'del', vip, 'dev', dev], `removing VIP ${vip}`);
      vipsRemoved.push(`${vip} on ${dev}`);
    }
    const macvlans = await session.exec(['ip', '-o', 'link', 'show', 'type', 'macvlan']);
    for (const name of macvlans.stdout.split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]).filter((n): n is string => !!n && n.endsWith(`.${ifname}`) && n.startsWith('cv'))) {
      await session.exec(['ip', 'link', 'del', name]);
    }
  }
  const paths = [OPT, CONFIG_DIR, UNIT, CARPD_LOG, CARPD_PID, SUPERVISOR_PID, ...(facts ? [facts.stateDir, facts.controlSocket] : ['/var/lib/carpd', '/run/carpd.sock'])];
  await must(session, ['rm', '-rf', '--', ...paths], 'removing carpd files');
  if (manager === 'systemd') await session.exec(['systemctl', 'daemon-reload']);
  return { node: session.label, wasInstalled: hasOpt || facts !== undefined, vipsRemoved };
}
