/** Why the headless server could not start, with a message that says how to fix it. */
export type ServerErrorCode = 'NOT_LOOPBACK' | 'BAD_PORT' | 'BAD_TOKEN' | 'NO_RENDERER' | 'PORT_IN_USE';

export class ServerError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
    /** The option or path the error is about. */
    readonly where: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}
