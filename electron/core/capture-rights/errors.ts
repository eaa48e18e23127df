// Errors of the capture-rights commands, as values: a code, what went wrong, where, and what to do.
export type CaptureRightsCode = 'needs-root' | 'unsupported-platform' | 'unknown-user' | 'missing-tool' | 'missing-file' | 'unsafe-prefix' | 'build-failed' | 'system-command-failed';

export interface CaptureRightsError {
  code: CaptureRightsCode;
  message: string;
  where?: string;
  fix?: string;
}

export type Outcome = { ok: true; steps: string[] } | { ok: false; error: CaptureRightsError; steps: string[] };
