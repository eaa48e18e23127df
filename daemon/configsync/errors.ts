/** Errors are values: a code, a human message saying what is wrong and how to fix it, and where. */
export interface SyncError {
  code: string;
  message: string;
  where?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: SyncError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, where?: string): { ok: false; error: SyncError } => ({
  ok: false,
  error: where === undefined ? { code, message } : { code, message, where },
});

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
