// apply's steps on a real node over SSH. Staging reuses deploy's content-addressed layout (blobs, version folders)
// but never switches `current` or starts anything; activation is deploy itself (deployTo finds everything uploaded
// and only puts the config in place, links the version and starts carpd). A rollback restores the snapshot: a node
// that had no carpd is uninstalled back to blank, one that had it gets its /etc/carpd, versions and service back.
import type { NodeRole } from '../../../shared/pairing/schema.js';
import { glibcAtLeast, type Bundle } from '../deploy/artifacts.js';
import { configFacts } from '../deploy/config.js';
import { DeployError } from '../deploy/errors.js';
import { deployTo, waitForCarpd } from '../deploy/install.js';
import { BLOBS, carpctlArgv, carpdArgv, CONFIG, CONFIG_DIR, CURRENT, OPT, PREVIOUS, versionDir } from '../deploy/layout.js';
import { must, remoteHashes } from '../deploy/remote.js';
import { detectServiceManager, isRunning, restartService, startService, stopService, type ServiceManager } from '../deploy/service.js';
import { uninstallFrom } from '../deploy/uninstall.js';
import { rootSession, type NodeSession, type RootSession } from '../ssh/privilege.js';
import type { NodeOps } from './apply.js';
import { CONTROL_SOCKET, VIPS_FILE, type NodeFile } from './node-files.js';

export const STAGE_DIR = `${CONFIG_DIR}/.pairing-stage`;
export const BACKUP_DIR = '/var/lib/carpdeck-pairing-backup';

interface Snapshot {
  blank: boolean;
  hadConfigDir: boolean;
  current: string;
  previous: string;
  manager: ServiceManager;
  running: boolean;
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

/** Every step runs as root: through sudo when the login is not root (a login that can do neither is refused at the
 * snapshot, before anything changes). */
export function sshNodeOps(login: NodeSession, role: NodeRole, bundle: () => Promise<Bundle>, files: NodeFile[], vips: { interface: string; vip: string }[]): NodeOps {
  let snap: Snapshot | undefined;
  let rooted: Promise<RootSession> | undefined;
  const root = () => (rooted ??= rootSession(login, 'applying the plan'));
  const exists = async (session: RootSession, p: string) => (await session.exec(['test', '-e', p])).code === 0;
  const link = async (session: RootSession, p: string) => (await session.exec(['readlink', p])).stdout.trim();
  const config = files.find((f) => f.path === CONFIG);
  if (!config) throw new DeployError('bad-config', 'the plan produced no carpd config', 'plan');
  const others = files.filter((f) => f !== config);

  return {
    role,
    label: login.label,

    async snapshot() {
      const session = await root();
      const hadOpt = await exists(session, OPT);
      const hadConfigDir = await exists(session, CONFIG_DIR);
      const manager = await detectServiceManager(session);
      const running = await isRunning(session, manager);
      snap = { blank: !hadOpt && !hadConfigDir && !running, hadConfigDir, current: await link(session, CURRENT), previous: await link(session, PREVIOUS), manager, running };
      await must(session, ['rm', '-rf', '--', BACKUP_DIR], 'clearing an old pairing backup');
      if (hadConfigDir) {
        await must(session, ['mkdir', '-p', '-m', '0700', BACKUP_DIR], 'creating the backup folder');
        await must(session, ['cp', '-a', '--', CONFIG_DIR, `${BACKUP_DIR}/carpd`], `backing up ${CONFIG_DIR}`);
      }
      return snap.blank ? `${session.label} has no carpd yet (a rollback makes it blank again)` : `${session.label} has carpd ${snap.current || '(no version linked)'}${snap.running ? ', running' : ''}: backed up ${CONFIG_DIR}`;
    },

    async stage() {
      const session = await root();
      const b = await bundle();
      const arch = (await must(session, ['uname', '-m'], 'uname')).stdout.trim();
      if (arch !== b.arch) throw new DeployError('arch-mismatch', `${session.label} is ${arch}, the bundle's runtime is ${b.arch}: a runtime for ${arch} is needed`, session.label);
      if (b.glibc) {
        const libc = /glibc (\d+(?:\.\d+)*)/.exec((await session.exec(['getconf', 'GNU_LIBC_VERSION'])).stdout)?.[1];
        if (!libc || !glibcAtLeast(libc, b.glibc)) throw new DeployError('arch-mismatch', `${session.label} has ${libc ? `glibc ${libc}` : 'no glibc'}, the runtime needs glibc ${b.glibc} or newer`, session.label);
      }
      await must(session, ['mkdir', '-p', '-m', '0755', BLOBS, CONFIG_DIR], 'creating /opt/carpd and /etc/carpd');
      const present = new Set((await must(session, ['ls', '-1', BLOBS], 'listing blobs')).stdout.split('\n').filter(Boolean));
      const missing = [...new Map(b.artifacts.filter((a) => !present.has(a.sha256)).map((a) => [a.sha256, a])).values()];
      let bytes = 0;
      for (const a of missing) {
        const tmp = `${BLOBS}/.upload-${a.sha256}`;
        await session.upload(a.localPath, tmp);
        if ((await remoteHashes(session, [tmp])).get(tmp) !== a.sha256) {
          await session.exec(['rm', '-f', '--', tmp]);
          throw new DeployError('hash-mismatch', `${session.label}: ${a.path} arrived damaged; apply again`, session.label);
        }
        await must(session, ['mv', '-f', '--', tmp, `${BLOBS}/${a.sha256}`], `storing ${a.path}`);
        bytes += a.size;
      }
      const dir = versionDir(b.version);
      if (!(await exists(session, `${dir}/node`))) {
        const tmp = `${OPT}/.install-${b.version}`;
        const dirs = [...new Set(b.artifacts.map((a) => dirOf(`${tmp}/${a.path}`)))];
        await must(session, ['rm', '-rf', '--', tmp], 'clearing a failed install');
        await must(session, ['mkdir', '-p', '--', ...dirs], 'creating the version folder');
        for (const a of b.artifacts) {
          await must(session, ['ln', '-f', '--', `${BLOBS}/${a.sha256}`, `${tmp}/${a.path}`], `linking ${a.path}`);
          await must(session, ['chmod', a.mode.toString(8), '--', `${tmp}/${a.path}`], `chmod ${a.path}`);
        }
        await must(session, ['mv', '-T', '--', tmp, dir], 'putting the version in place');
      }
      await must(session, ['rm', '-rf', '--', STAGE_DIR], 'clearing an old staging folder');
      const staged = (p: string) => `${STAGE_DIR}${p.slice(CONFIG_DIR.length)}`;
      await must(session, ['mkdir', '-p', '-m', '0700', ...new Set(files.map((f) => dirOf(staged(f.path))))], 'creating the staging folder');
      for (const f of files) await session.writeFile(staged(f.path), f.content, f.mode);
      const check = await session.exec([...carpdArgv(dir), '--config', staged(CONFIG), '--check']);
      if (check.code !== 0) throw new DeployError('config-rejected', `${session.label}: carpd rejected the staged configuration: ${(check.stderr || check.stdout).replace(/^carpd: /gm, '').trim()}`, `${session.label}:${staged(CONFIG)}`);
      return `Staged on ${session.label}: carpd ${b.version} (${missing.length ? `${missing.length} file(s), ${(bytes / 1048576).toFixed(1)} MiB uploaded` : 'already there'}), ${files.length} file(s) checked by carpd --check`;
    },

    async activate() {
      const session = await root();
      const b = await bundle();
      const staged = (f: NodeFile) => `${STAGE_DIR}${f.path.slice(CONFIG_DIR.length)}`;
      const hashes = await remoteHashes(session, others.flatMap((f) => [staged(f), f.path]));
      const changed = others.filter((f) => hashes.get(staged(f)) !== hashes.get(f.path)).map((f) => f.path);
      const dirs = [...new Set(others.map((f) => dirOf(f.path)))];
      if (dirs.length > 0) await must(session, ['mkdir', '-p', '-m', '0700', ...dirs], 'creating the config folders');
      for (const f of others) await must(session, ['mv', '-f', '--', staged(f), f.path], `putting ${f.path} in place`);
      const r = await deployTo(session, b, config.content, `${session.label}:${CONFIG}`);
      const runs = `carpd ${r.version} runs on ${session.label} under ${r.serviceManager}`;
      if (r.restarted || changed.length === 0) return runs;
      // deploy restarts carpd only for a new version or carpd.json; the files beside it are read at start or by reload
      const socket = configFacts(config.content, CONFIG).controlSocket;
      if (changed.every((p) => p === VIPS_FILE)) {
        const reload = await session.exec([...carpctlArgv(socket), 'reload']);
        if (reload.code !== 0) throw new DeployError('config-rejected', `${session.label}: carpd did not take the new ${VIPS_FILE}: ${(reload.stderr || reload.stdout).trim()}`, `${session.label}:${VIPS_FILE}`);
        return `${runs}; ${reload.stdout.trim() || 'reloaded'} (${VIPS_FILE} changed)`;
      }
      const manager = await detectServiceManager(session);
      await restartService(session, manager);
      await waitForCarpd(session, socket, 15_000);
      return `${runs}; restarted (${changed.join(', ')} changed)`;
    },

    async finish() {
      const session = await root();
      await must(session, ['rm', '-rf', '--', STAGE_DIR, BACKUP_DIR], 'removing the staging folder and the backup');
    },

    async rollback() {
      if (!snap) return `${login.label}: nothing was changed`;
      const session = await root();
      if (snap.blank) {
        const u = await uninstallFrom(session);
        const removed = [...u.vipsRemoved, ...(await removeVips(session, vips))];
        await must(session, ['rm', '-rf', '--', BACKUP_DIR], 'removing the pairing backup');
        return `${session.label} is blank again (no carpd, no files${removed.length ? `; removed VIP ${removed.join(', ')}` : ''})`;
      }
      await stopService(session, snap.manager);
      await removeVips(session, vips);
      await must(session, ['rm', '-rf', '--', CONFIG_DIR], `removing the new ${CONFIG_DIR}`);
      if (snap.hadConfigDir) await must(session, ['cp', '-a', '--', `${BACKUP_DIR}/carpd`, CONFIG_DIR], `restoring ${CONFIG_DIR}`);
      for (const [path, target] of [[CURRENT, snap.current], [PREVIOUS, snap.previous]] as const) {
        if (target) await must(session, ['ln', '-sfn', '--', target, path], `restoring ${path}`);
        else await must(session, ['rm', '-f', '--', path], `removing ${path}`);
      }
      if (snap.running) {
        await startService(session, snap.manager);
        const restored = await session.exec(['cat', CONFIG]);
        await waitForCarpd(session, restored.code === 0 ? configFacts(restored.stdout, CONFIG).controlSocket : CONTROL_SOCKET, 15_000);
      }
      await must(session, ['rm', '-rf', '--', BACKUP_DIR], 'removing the backup');
      return `${session.label} is back to carpd ${snap.current || '(none)'} with its previous configuration${snap.running ? ', running' : ''}`;
    },
  };
}

/** Removes any of the plan's VIPs still on the node (a carpd that died cannot bow out); returns what it removed. */
async function removeVips(session: RootSession, vips: { interface: string; vip: string }[]): Promise<string[]> {
  const removed: string[] = [];
  for (const { vip } of vips) {
    const shown = await session.exec(['ip', '-o', 'addr', 'show', 'to', vip.split('/')[0]]);
    for (const dev of shown.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[1])) {
      if ((await session.exec(['ip', 'addr', 'del', vip, 'dev', dev])).code === 0) removed.push(`${vip} on ${dev}`);
    }
  }
  return removed;
}
