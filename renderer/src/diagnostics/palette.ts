/**
 * Colours for masters on the timeline. The first eight are the Okabe-Ito set (distinguishable with the common
 * colour-vision deficiencies), ordered so neighbours contrast; the rest extend it with Paul Tol's muted set.
 * Every master also keeps its address label in the legend, so colour is never the only cue.
 */
export const MASTER_COLOURS = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#D55E00', // vermillion
  '#F0E442', // yellow
  '#332288', // indigo
  '#117733', // green
  '#882255', // wine
  '#44AA99', // teal
  '#999933', // olive
  '#AA4499', // purple
  '#6b6b6b', // grey
] as const;

export interface MasterColour {
  address: string;
  colour: string;
  /** Dark text reads better on the light colours (yellow, orange, sky blue). */
  ink: 'dark' | 'light';
}

const LIGHT = new Set(['#E69F00', '#56B4E9', '#F0E442', '#44AA99', '#999933', '#CC79A7']);

/** Assigns colours to master addresses in order of first appearance, so one address has one colour everywhere. */
export function assignMasterColours(addressesInOrder: Iterable<string>): Map<string, MasterColour> {
  const out = new Map<string, MasterColour>();
  for (const address of addressesInOrder) {
    if (out.has(address)) continue;
    const colour = MASTER_COLOURS[out.size % MASTER_COLOURS.length];
    out.set(address, { address, colour, ink: LIGHT.has(colour) ? 'dark' : 'light' });
  }
  return out;
}
