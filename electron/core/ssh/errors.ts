/** An SSH failure as a value: a code the UI can act on, a message for people (what happened and what to do), where. */
export type SshErrorCode =
  | 'auth-failed'
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'no-credentials'
  | 'bad-key-file'
  | 'bad-target'
  | 'closed'
  | 'sftp-failed';

export class SshError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

/** Errors with a code and a message for people (SshError, DeployError, LabError): their message; otherwise undefined. */
export function knownErrorMessage(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && 'where' in e && typeof (e as { code: unknown }).code === 'string' ? e.message : undefined;
}
