import type { DecodeProblem, DecodeProblemCode } from './types.js';

export function problem(code: DecodeProblemCode, message: string): DecodeProblem {
  return { code, message };
}

/** Distinguishes a codec's DecodeProblem result from its decoded value. */
export function isDecodeProblem(v: unknown): v is DecodeProblem {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v && !('kind' in v);
}
