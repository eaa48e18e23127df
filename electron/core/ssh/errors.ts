/** An SSH failure as a value: a code the UI can act on, a message for people (what happened and what to do), where. */
export type SshErrorCode =
  | 'auth-failed'
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-not-pinned'
  | 'host-key-pin-differs'
  | 'host-key-offered-differs'
  | 'bad-fingerprint'
  | 'known-hosts-unreadable'
  | 'no-credentials'
  | 'bad-key-file'
  | 'bad-target'
  | 'closed'
  | 'sftp-failed';

/** What a refused, changed host key was, as data (so UI and CLI never parse the message). */
export interface HostKeyChange {
  /** The node as it was addressed (USER@HOST[:PORT]). */
  target: string;
  host: string;
  port: number;
  /** The type of the key offered now, e.g. ssh-ed25519. */
  keyType: string;
  pinnedKeyType: string;
  /** SHA256:… as OpenSSH prints it. */
  pinnedFingerprint: string;
  offeredFingerprint: string;
  /** When the pinned key was first trusted (ISO time). */
  pinnedSince: string;
}

export class SshError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
    readonly where: string,
    /** Set on host-key-changed. */
    readonly hostKey?: HostKeyChange,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

/** Errors with a code and a message for people (SshError, DeployError, LabError): their message; otherwise undefined. */
export function knownErrorMessage(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && 'where' in e && typeof (e as { code: unknown }).code === 'string' ? e.message : undefined;
}
