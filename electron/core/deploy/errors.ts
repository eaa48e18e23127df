/** A deploy/control failure on a node: a code, a message saying what happened and what to do, and the node. */
export class DeployError extends Error {
  constructor(
    readonly code: 'not-built' | 'bad-config' | 'config-rejected' | 'arch-mismatch' | 'remote-failed' | 'hash-mismatch' | 'not-installed' | 'not-running',
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}
