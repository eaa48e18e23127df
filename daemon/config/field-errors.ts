// zod building blocks whose messages name what a field must be and what it got, for carpd's config fragments.
import { z } from 'zod';

/** "is required (WHAT)" when missing, else "must be WHAT, got VALUE". */
export const must = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is required (${what})` : `must be ${what}, got ${JSON.stringify(iss.input)}`;

/** A whole number in lo..hi. */
export const whole = (lo: number, hi: number, what: string) =>
  z
    .number({ error: must(`${what} (a whole number ${lo}..${hi})`) })
    .int({ error: must(`a whole number ${lo}..${hi}`) })
    .min(lo, { error: must(`a whole number ${lo}..${hi}`) })
    .max(hi, { error: must(`a whole number ${lo}..${hi}`) });
