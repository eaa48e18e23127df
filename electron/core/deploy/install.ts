// Deploy: upload what the node lacks (by SHA-256, temp name, hash check, rename), assemble the version directory,
// validate the config on the node with carpd --check, switch `current` (keeping `previous`), then (re)start carpd
// only if the version or the config changed (or it is not running).
import { rootSession, type NodeSession, type RootSession } from '../ssh/privilege.js';
import { glibcAtLeast, type Bundle } from './artifacts.js';
import { configFacts } from './config.js';
import { DeployError } from './errors.js';
import { BLOBS, carpctlArgv, carpdArgv, CONFIG, CONFIG_DIR, CURRENT, OPT, PREVIOUS, versionDir } from './layout.js';
import { must, remoteHashes } from './remote.js';
import { detectServiceManager, installService, isRunning, restartService, type ServiceManager } from './service.js';

export interface DeployProgress {
  phase: 'check' | 'upload' | 'install' | 'config' | 'start' | 'wait';
  message: string;
  file?: string;
  sent?: number;
  total?: number;
}

export interface DeployResult {
  node: string;
  version: string;
  previous?: string;
  serviceManager: ServiceManager;
  uploadedFiles: string[];
  uploadedBytes: number;
  configChanged: boolean;
  restarted: boolean;
}

export async function deployTo(login: NodeSession, bundle: Bundle, configText: string, configName: string, progress: (p: DeployProgress) => void = () => undefined): Promise<DeployResult> {
  const facts = configFacts(configText, configName);
  const session = await rootSession(login, 'deploy');
  progress({ phase: 'check', message: 'checking the node' });
  const arch = (await must(session, ['uname', '-m'], 'uname')).stdout.trim();
  if (arch !== bundle.arch) throw new DeployError('arch-mismatch', `${session.label} is ${arch}, the bundle's runtime is ${bundle.arch}: a runtime for ${arch} is needed`, session.label);
  if (bundle.glibc) {
    const libc = /glibc (\d+(?:\.\d+)*)/.exec((await session.exec(['getconf', 'GNU_LIBC_VERSION'])).stdout)?.[1];
    if (!libc || !glibcAtLeast(libc, bundle.glibc)) {
      throw new DeployError('arch-mismatch', `${session.label} has ${libc ? `glibc ${libc}` : 'no glibc (musl?)'}, the bundle's runtime needs glibc ${bundle.glibc} or newer: a runtime built for that system is needed`, session.label);
    }
  }
  const manager = await detectServiceManager(session);
  await must(session, ['mkdir', '-p', '-m', '0755', BLOBS, CONFIG_DIR], 'creating /opt/carpd and /etc/carpd');

  const present = new Set((await must(session, ['ls', '-1', BLOBS], 'listing blobs')).stdout.split('\n').filter(Boolean));
  const missing = [...new Map(bundle.artifacts.filter((a) => !present.has(a.sha256)).map((a) => [a.sha256, a])).values()];
  const total = missing.reduce((n, a) => n + a.size, 0);
  let done = 0;
  for (const a of missing) {
    const tmp = `${BLOBS}/.upload-${a.sha256}`;
    await session.upload(a.localPath, tmp, (sent) => progress({ phase: 'upload', message: `uploading ${a.path}`, file: a.path, sent: done + sent, total }));
    const got = (await remoteHashes(session, [tmp])).get(tmp);
    if (got !== a.sha256) {
      await session.exec(['rm', '-f', '--', tmp]);
      throw new DeployError('hash-mismatch', `${session.label}: ${a.path} arrived damaged (SHA-256 ${got ?? 'unreadable'}, expected ${a.sha256}); deploy again`, session.label);
    }
    await must(session, ['mv', '-f', '--', tmp, `${BLOBS}/${a.sha256}`], `storing ${a.path}`);
    done += a.size;
  }

  const dir = versionDir(bundle.version);
  if ((await session.exec(['test', '-x', `${dir}/node`])).code !== 0) {
    progress({ phase: 'install', message: `installing ${bundle.version}` });
    const tmp = `${OPT}/.install-${bundle.version}`;
    await must(session, ['rm', '-rf', '--', tmp], 'clearing a failed install');
    const dirs = [...new Set(bundle.artifacts.map((a) => a.path.split('/').slice(0, -1).join('/')).filter(Boolean))].map((d) => `${tmp}/${d}`);
    await must(session, ['mkdir', '-p', '--', tmp, ...dirs], 'creating the version directory');
    for (const a of bundle.artifacts) {
      await must(session, ['ln', '-f', '--', `${BLOBS}/${a.sha256}`, `${tmp}/${a.path}`], `linking ${a.path}`);
      await must(session, ['chmod', a.mode.toString(8), '--', `${tmp}/${a.path}`], `chmod ${a.path}`);
    }
    await must(session, ['mv', '-T', '--', tmp, dir], 'putting the version in place');
  }

  progress({ phase: 'config', message: 'validating the config on the node' });
  const newConfig = `${CONFIG}.new`;
  await session.writeFile(newConfig, configText, 0o600);
  const check = await session.exec([...carpdArgv(dir), '--config', newConfig, '--check']);
  if (check.code !== 0) {
    await session.exec(['rm', '-f', '--', newConfig]);
    throw new DeployError('config-rejected', `${session.label}: carpd rejected ${configName}: ${(check.stderr || check.stdout).replace(/^carpd: /gm, '').trim()}`, configName);
  }
  const hashes = await remoteHashes(session, [newConfig, CONFIG]);
  const configChanged = hashes.get(newConfig) !== hashes.get(CONFIG);
  await must(session, ['mv', '-f', '--', newConfig, CONFIG], 'putting the config in place');

  const current = (await session.exec(['readlink', CURRENT])).stdout.trim();
  const versionChanged = current !== bundle.version;
  let previous: string | undefined = current || undefined;
  if (versionChanged) {
    if (current) await must(session, ['ln', '-sfn', '--', current, PREVIOUS], 'keeping the previous version');
    await must(session, ['ln', '-sfn', '--', bundle.version, `${CURRENT}.new`], 'linking current');
    await must(session, ['mv', '-T', '--', `${CURRENT}.new`, CURRENT], 'switching current');
  } else {
    previous = (await session.exec(['readlink', PREVIOUS])).stdout.trim() || undefined;
  }

  await installService(session, manager);
  const running = await isRunning(session, manager);
  const restart = versionChanged || configChanged || !running;
  if (restart) {
    progress({ phase: 'start', message: running ? 'restarting carpd' : 'starting carpd' });
    await restartService(session, manager);
  }
  if (versionChanged) await pruneVersions(session, bundle.version, previous);
  progress({ phase: 'wait', message: 'waiting for carpd to answer' });
  await waitForCarpd(session, facts.controlSocket, 15_000);
  return { node: session.label, version: bundle.version, previous, serviceManager: manager, uploadedFiles: missing.map((a) => a.path), uploadedBytes: total, configChanged, restarted: restart };
}

/** Removes versions other than current and previous, then blobs no version links any more. */
async function pruneVersions(session: RootSession, current: string, previous: string | undefined): Promise<void> {
  const keep = new Set([current, previous, 'blobs', 'current', 'previous', 'supervise.sh']);
  const entries = (await session.exec(['ls', '-1', OPT])).stdout.split('\n').filter((e) => e && !keep.has(e) && !e.startsWith('.'));
  if (entries.length > 0) await must(session, ['rm', '-rf', '--', ...entries.map((e) => `${OPT}/${e}`)], 'removing old versions');
  await session.exec(['find', BLOBS, '-maxdepth', '1', '-type', 'f', '-links', '1', '-delete']);
}

export async function waitForCarpd(login: NodeSession, socket: string, timeoutMs: number): Promise<void> {
  const session = await rootSession(login, 'asking carpd for its status');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const r = await session.exec([...carpctlArgv(socket), 'status', '--json']);
    if (r.code === 0) return;
    last = (r.stderr || r.stdout).trim();
    await new Promise((res) => setTimeout(res, 250));
  }
  const log = await session.exec(['tail', '-n', '5', '/var/log/carpd.log']);
  throw new DeployError('not-running', `${session.label}: carpd did not come up within ${timeoutMs / 1000} s (${last}); last log lines:\n${log.stdout.trim()}`, session.label);
}

export interface RollbackResult {
  node: string;
  from: string;
  to: string;
}

/** Switches `current` back to `previous` (and keeps the version rolled back from as the new previous), restarts carpd. */
export async function rollback(login: NodeSession): Promise<RollbackResult> {
  const session = await rootSession(login, 'rollback');
  const from = (await session.exec(['readlink', CURRENT])).stdout.trim();
  const to = (await session.exec(['readlink', PREVIOUS])).stdout.trim();
  if (!from) throw new DeployError('not-installed', `${session.label}: carpd is not installed here; run carpdeck deploy first`, session.label);
  if (!to || (await session.exec(['test', '-x', `${versionDir(to)}/node`])).code !== 0) {
    throw new DeployError('not-installed', `${session.label}: there is no previous version to roll back to (only ${from} is installed)`, session.label);
  }
  const check = await session.exec([...carpdArgv(versionDir(to)), '--config', CONFIG, '--check']);
  if (check.code !== 0) throw new DeployError('config-rejected', `${session.label}: version ${to} rejects the current config: ${(check.stderr || check.stdout).replace(/^carpd: /gm, '').trim()}`, CONFIG);
  await must(session, ['ln', '-sfn', '--', to, `${CURRENT}.new`], 'linking current');
  await must(session, ['mv', '-T', '--', `${CURRENT}.new`, CURRENT], 'switching current');
  await must(session, ['ln', '-sfn', '--', from, PREVIOUS], 'keeping the version rolled back from');
  const manager = await detectServiceManager(session);
  await restartService(session, manager);
  const { controlSocket } = configFacts((await must(session, ['cat', CONFIG], 'reading the config')).stdout, CONFIG);
  await waitForCarpd(session, controlSocket, 15_000);
  return { node: session.label, from, to };
}
