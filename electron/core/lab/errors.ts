/** A lab failure meant for the person at the terminal: a code, a message saying what to do, and where. */
export class LabError extends Error {
  constructor(
    readonly code: 'not-root' | 'already-up' | 'not-up' | 'tool-missing' | 'command-failed' | 'no-subnet' | 'bad-name',
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}
