// Deploy from the control panel: the config text checked here first (carpd's own schema, so a typo is named before
// anything is sent), then deployTo over the node's session with its progress (upload as sent/total bytes), and the
// result in plain words.
import type { Progress } from '../../../shared/api/cluster-contract.js';
import { parseConfigText } from '../../../daemon/config/load.js';
import type { Bundle } from '../deploy/artifacts.js';
import { deployTo } from '../deploy/install.js';
import { rootSession } from '../ssh/privilege.js';
import { errorValue, type ClusterMember } from './member.js';

export interface DeployInput {
  node: string;
  config: string;
  configName?: string;
}

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

export async function runDeploy(member: () => ClusterMember, bundle: () => Promise<Bundle>, input: DeployInput, emit: (p: Progress) => void): Promise<void> {
  const name = input.configName || 'carpd.json';
  const fail = (error: { code: string; message: string; fix?: string }) =>
    emit({ node: input.node, step: 'result', message: error.message, status: 'failed', done: { ok: false, message: error.message, error } });
  const checked = parseConfigText(input.config, name);
  // a vhidsFile the config names lives on the node, not here: carpd --check there decides about it
  if (!checked.ok && checked.error.code !== 'config-unreadable') {
    return fail({ code: 'bad-config', message: checked.error.message, fix: 'correct the config (see daemon/README.md for every field) and deploy again' });
  }
  try {
    const m = member();
    const session = await rootSession(m.session(), 'deploy');
    emit({ node: m.id, step: 'bundle', message: 'preparing the carpd bundle', status: 'running' });
    const b = await bundle();
    const result = await deployTo(session, b, input.config, name, (p) =>
      emit({ node: m.id, step: p.phase, message: p.message, status: 'running', ...(p.sent !== undefined ? { sent: p.sent } : {}), ...(p.total !== undefined ? { total: p.total } : {}) }),
    );
    m.pollNow();
    const sent = result.uploadedFiles.length ? `uploaded ${result.uploadedFiles.length} file(s), ${bytes(result.uploadedBytes)}` : 'nothing to upload (this version is there already)';
    const restarted = result.restarted ? 'carpd (re)started' : 'carpd kept running (nothing changed)';
    const message = `${m.id}: carpd ${result.version} under ${result.serviceManager}; ${sent}; config ${result.configChanged ? 'changed' : 'unchanged'}; ${restarted}`;
    emit({ node: m.id, step: 'result', message, status: 'done', done: { ok: true, message } });
  } catch (e) {
    fail(errorValue(e));
  }
}
