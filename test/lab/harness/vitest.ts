// vitest glue: skip a lab suite with the reason when it cannot run, and always clean the lab up.
import { afterAll, beforeAll } from 'vitest';
import { createLab, labUnavailableReason, type Lab } from './lab.js';

/** True when the suite must be skipped (use with describe.skipIf); the reason is printed once. */
export function requireRoot(tools: readonly string[] = []): boolean {
  const reason = labUnavailableReason(tools);
  if (reason) console.warn(`lab suite skipped: ${reason}`);
  return reason !== null;
}

/**
 * Registers beforeAll (create the lab, then run `setup`) and afterAll (cleanup) in the current suite; returns an
 * accessor for the lab, valid inside tests.
 */
export function useLab(prefix: string, setup?: (lab: Lab) => Promise<void>): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await createLab(prefix);
    if (setup) await setup(lab);
  });
  afterAll(async () => {
    await lab?.cleanup();
  });
  return () => {
    if (!lab) throw new Error('lab: used before beforeAll created it');
    return lab;
  };
}
