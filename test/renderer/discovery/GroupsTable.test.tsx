import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryUpdate } from '../../../shared/api/contract.js';
import { GroupsTable, ROW_HEIGHT, sameGroup, WINDOW_FROM } from '../../../renderer/src/discovery/GroupsTable.js';

afterEach(cleanup);

type Group = Extract<DiscoveryUpdate, { kind: 'snapshot' }>['snapshot']['groups'][number];
const T = 1_800_000_000;

function group(vhid: number, over: Partial<Group> = {}): Group {
  return {
    id: `carp:${vhid}`, kind: 'carp', protocol: 'carp', vhid, family: 4, vlans: [],
    master: { address: `10.0.${vhid}.2`, mac: '00:00:5e:00:00:0b', vendor: { id: 'ucarp', label: 'ucarp', basis: 'MAC' }, since: T },
    lastMaster: `10.0.${vhid}.2`, advbase: 1, advskew: 0, demote: 0, announcedInterval: 1, measuredInterval: 1, demoted: false, state: 'advertising',
    adverts: 50, firstSeen: T, lastSeen: T + 9, sources: [`10.0.${vhid}.2`], masterChanges: 0, history: [50, 50, 50],
    ...over,
  };
}

const rows = () => [...document.querySelectorAll('tr[data-group]')].map((r) => r.getAttribute('data-group'));
const spacers = () => [...document.querySelectorAll<HTMLTableCellElement>('tr.spacer td')].map((td) => parseFloat(td.style.height));

describe('live groups table', () => {
  it('renders every row of a small segment, without a scroll box', () => {
    const groups = Array.from({ length: WINDOW_FROM - 1 }, (_, i) => group(i + 1));
    render(<GroupsTable groups={groups} now={T + 10} />);
    expect(rows()).toHaveLength(WINDOW_FROM - 1);
    expect(document.querySelector('.live-groups-scroll')).toBeNull();
    expect(spacers()).toEqual([]);
  });

  it('with 200 groups lists them all but puts only the rows in view in the page, and follows the scroll', async () => {
    const groups = Array.from({ length: 200 }, (_, i) => group(i + 1));
    render(<GroupsTable groups={groups} now={T + 10} />);
    const table = document.querySelector('table.live-groups')!;
    expect(table.getAttribute('data-groups')).toBe('200');
    expect(table.getAttribute('aria-rowcount')).toBe('201');
    const first = rows();
    expect(first[0]).toBe('carp:1');
    expect(first.length).toBeLessThan(40);
    // the spacer below stands in for every row not rendered, so the scrollbar is true
    expect(spacers()).toEqual([(200 - first.length) * ROW_HEIGHT]);

    const box = document.querySelector<HTMLDivElement>('.live-groups-scroll')!;
    box.scrollTop = 100 * ROW_HEIGHT;
    await act(async () => {
      fireEvent.scroll(box);
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    });
    const later = rows();
    expect(later).toContain('carp:101');
    expect(later).not.toContain('carp:1');
    const [above, below] = spacers();
    const firstShown = Number(later[0]!.slice(5)) - 1;
    expect(above).toBe(firstShown * ROW_HEIGHT);
    expect(above + later.length * ROW_HEIGHT + below).toBe(200 * ROW_HEIGHT);
    expect(document.querySelector('tr[data-group="carp:101"]')?.getAttribute('aria-rowindex')).toBe('102');
  });

  it('tells a row that needs redrawing from one that shows the same as before (snapshots are fresh objects)', () => {
    const g = group(7, { backups: [{ node: 'fw2', address: '10.0.7.3', verified: true }] });
    expect(sameGroup(g, structuredClone(g))).toBe(true);
    expect(sameGroup(g, { ...g, history: [50, 50, 49] })).toBe(false);
    expect(sameGroup(g, { ...g, adverts: 51 })).toBe(false);
    expect(sameGroup(g, { ...g, master: null, state: 'silent' })).toBe(false);
    expect(sameGroup(g, { ...g, backups: [] })).toBe(false);
    expect(sameGroup(g, { ...g, demoted: true })).toBe(false);
  });
});
