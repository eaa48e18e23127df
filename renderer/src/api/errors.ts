// Errors of the connection to the backend (server-side failures arrive as oRPC's ORPCError with a code such as
// BAD_REQUEST; use `isApiError` / `ORPCError` to tell them apart).

export type ApiErrorCode =
  /** `carpdeck serve` page opened without the `#token=…` its URL carries. */
  | 'NO_TOKEN'
  /** Inside Electron, the shell never handed the page its MessagePort. */
  | 'NO_PORT'
  /** The connection closed while a call or a stream was in progress; it is being re-established. */
  | 'DISCONNECTED'
  /** The server is up but refuses this page's token: `carpdeck serve` was restarted and has a new one. */
  | 'REJECTED'
  /** The client was closed on purpose. */
  | 'CLOSED';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** What the error is about: the URL or transport involved. */
    readonly where: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
