// Running carpd on the node: a systemd unit where systemd runs, otherwise a small supervisor (POSIX sh) that restarts
// carpd one second after it exits and stops it cleanly (SIGTERM: carpd bows out and removes its VIPs).
import type { RootSession } from '../ssh/privilege.js';
import { CARPD_LOG, CARPD_PID, CONFIG, CURRENT, SUPERVISOR, SUPERVISOR_PID, UNIT } from './layout.js';
import { must } from './remote.js';

export type ServiceManager = 'systemd' | 'supervisor';

export const supervisorScript = `#!/bin/sh
# carpd supervisor (installed by CarpDeck): restarts carpd after it exits; SIGTERM stops carpd, then itself.
echo $$ > ${SUPERVISOR_PID}
child=
stopping=
stop() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"
  rm -f ${SUPERVISOR_PID} ${CARPD_PID}
  exit 0
}
trap stop TERM INT HUP
while [ -z "$stopping" ]; do
  ${CURRENT}/node ${CURRENT}/carpd.cjs --config ${CONFIG} >>${CARPD_LOG} 2>&1 &
  child=$!
  echo "$child" > ${CARPD_PID}
  wait "$child"
  echo "carpd-supervisor: carpd exited with status $?, restarting in 1 s" >>${CARPD_LOG}
  sleep 1
done
`;

export const systemdUnit = `[Unit]
Description=carpd: CARP for Linux (installed by CarpDeck)
After=network-online.target
Wants=network-online.target

[Service]
ExecStartPre=${CURRENT}/node ${CURRENT}/carpd.cjs --config ${CONFIG} --check
ExecStart=${CURRENT}/node ${CURRENT}/carpd.cjs --config ${CONFIG}
Restart=always
RestartSec=1
KillSignal=SIGTERM
TimeoutStopSec=15

[Install]
WantedBy=multi-user.target
`;

// Constant scripts (no input is spliced in): start the supervisor detached from the SSH session, and stop it.
const START_SUPERVISOR = `exec setsid -f ${SUPERVISOR} </dev/null >/dev/null 2>&1`;
const STOP_SUPERVISOR = `p=$(cat ${SUPERVISOR_PID} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done
kill -0 "$p" 2>/dev/null && { kill -KILL "$p"; c=$(cat ${CARPD_PID} 2>/dev/null) && kill -KILL "$c"; }
rm -f ${SUPERVISOR_PID} ${CARPD_PID}; exit 0`;
const SUPERVISOR_RUNNING = `p=$(cat ${SUPERVISOR_PID} 2>/dev/null) && kill -0 "$p" 2>/dev/null`;

export async function detectServiceManager(session: RootSession): Promise<ServiceManager> {
  const r = await session.exec(['test', '-d', '/run/systemd/system']);
  return r.code === 0 ? 'systemd' : 'supervisor';
}

export async function installService(session: RootSession, manager: ServiceManager): Promise<void> {
  if (manager === 'systemd') {
    await session.writeFile(UNIT, systemdUnit, 0o644);
    await must(session, ['systemctl', 'daemon-reload'], 'systemctl daemon-reload');
    await must(session, ['systemctl', 'enable', 'carpd.service'], 'enabling carpd.service');
  } else {
    await session.writeFile(`${SUPERVISOR}.tmp`, supervisorScript, 0o755);
    await must(session, ['mv', '-f', `${SUPERVISOR}.tmp`, SUPERVISOR], 'installing the supervisor');
  }
}

export async function isRunning(session: RootSession, manager: ServiceManager): Promise<boolean> {
  const r = manager === 'systemd' ? await session.exec(['systemctl', 'is-active', '--quiet', 'carpd.service']) : await session.exec(['sh', '-c', SUPERVISOR_RUNNING]);
  return r.code === 0;
}

export async function stopService(session: RootSession, manager: ServiceManager): Promise<void> {
  if (manager === 'systemd') await session.exec(['systemctl', 'stop', 'carpd.service']);
  else await must(session, ['sh', '-c', STOP_SUPERVISOR], 'stopping carpd');
}

export async function startService(session: RootSession, manager: ServiceManager): Promise<void> {
  if (manager === 'systemd') await must(session, ['systemctl', 'restart', 'carpd.service'], 'starting carpd.service');
  else await must(session, ['sh', '-c', START_SUPERVISOR], 'starting the carpd supervisor');
}

export async function restartService(session: RootSession, manager: ServiceManager): Promise<void> {
  if (manager === 'supervisor') await stopService(session, manager);
  await startService(session, manager);
}
