// The helper as a standalone executable (a Node single-executable application that `carpdeck capture-rights
// grant` assembles and gives file capabilities, as Wireshark's dumpcap has them). It then runs only its embedded
// script: Node does not read options from its argv, and with file capabilities (AT_SECURE) it ignores NODE_OPTIONS.
// The libpcap binding is loaded from the absolute path baked in at grant time, and only from a file that root
// owns and nobody else may write, so no one can slip other native code into a process holding capture rights.
import { statSync } from 'node:fs';
import { isSea } from 'node:sea';
import path from 'node:path';

export function isStandalone(): boolean {
  try {
    return isSea();
  } catch {
    return false;
  }
}

/** argv that makes this same program run as the capture worker. */
export function workerArgv(): string[] {
  return isStandalone() ? [] : [process.argv[1]];
}

/** The environment the worker starts with: nothing inherited for the standalone helper. */
export function workerEnv(): NodeJS.ProcessEnv {
  return isStandalone() ? {} : process.env;
}

/** The binding's exports, loaded from the root-owned copy installed beside the standalone helper. */
export function loadInstalledBinding(): unknown {
  // set by the prelude the grant prepends to the embedded script
  const baked = (globalThis as { CARPDECK_CAP_NODE?: string }).CARPDECK_CAP_NODE;
  const file = baked ?? path.join(path.dirname(process.execPath), 'cap.node');
  const st = statSync(file);
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) throw new Error(`${file} must belong to root and be writable by root only`);
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file);
  return mod.exports;
}
