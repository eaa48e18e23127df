import { describe, expect, it } from 'vitest';
import { assignMasterColours, MASTER_COLOURS } from '../../../renderer/src/diagnostics/palette.js';

describe('master palette', () => {
  it('gives each master its own colour in order of first appearance, starting with the Okabe-Ito blue and orange', () => {
    const colours = assignMasterColours(['10.0.1.1', '10.0.1.2', '10.0.1.1', '10.0.2.1']);
    expect([...colours.keys()]).toEqual(['10.0.1.1', '10.0.1.2', '10.0.2.1']);
    expect(colours.get('10.0.1.1')!.colour).toBe('#0072B2');
    expect(colours.get('10.0.1.2')!.colour).toBe('#E69F00');
    expect(new Set([...colours.values()].map((c) => c.colour)).size).toBe(3);
  });

  it('uses dark ink on light colours and light ink on dark ones', () => {
    const colours = assignMasterColours(['a', 'b']);
    expect(colours.get('a')!.ink).toBe('light');
    expect(colours.get('b')!.ink).toBe('dark');
  });

  it('keeps assigning valid colours past the end of the palette', () => {
    const many = Array.from({ length: MASTER_COLOURS.length + 3 }, (_, i) => `10.0.0.${i}`);
    const colours = assignMasterColours(many);
    expect(colours.size).toBe(many.length);
    expect(colours.get(many[MASTER_COLOURS.length])!.colour).toBe(MASTER_COLOURS[0]);
  });
});
