// Where carpd lives on a firewall. Blobs are content-addressed (file name = SHA-256), versions are directories of
// hard links to them, `current` and `previous` are symlinks to versions (previous kept for rollback).
export const OPT = '/opt/carpd';
export const BLOBS = `${OPT}/blobs`;
export const CURRENT = `${OPT}/current`;
export const PREVIOUS = `${OPT}/previous`;
export const SUPERVISOR = `${OPT}/supervise.sh`;
export const CONFIG_DIR = '/etc/carpd';
export const CONFIG = `${CONFIG_DIR}/carpd.json`;
export const SUPERVISOR_PID = '/run/carpd-supervisor.pid';
export const CARPD_PID = '/run/carpd.pid';
export const CARPD_LOG = '/var/log/carpd.log';
export const UNIT = '/etc/systemd/system/carpd.service';

export const versionDir = (version: string): string => `${OPT}/${version}`;

/** argv running carpd/carpctl from the installed `current` version (its own node runtime). */
export const carpdArgv = (dir = CURRENT): string[] => [`${dir}/node`, `${dir}/carpd.cjs`];
export const carpctlArgv = (socket: string, dir = CURRENT): string[] => [`${dir}/node`, `${dir}/carpctl.cjs`, '--socket', socket];
