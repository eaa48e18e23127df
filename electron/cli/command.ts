/** A subcommand takes its arguments (after the command name) and resolves to the process exit code. */
export type Command = (argv: string[]) => Promise<number>;

/** An error meant for the person at the terminal: printed as one line, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
