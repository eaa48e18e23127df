import { describe, expect, it } from 'vitest';
import { configSyncSchema, type Overrides } from '../../../daemon/configsync/config.js';
import { generalize, specialize } from '../../../daemon/configsync/overrides.js';

const fw1: Overrides = {
  interfaces: { lan: 'enp3s0', wan: 'enp1s0' },
  values: { 'lan.address': '10.0.1.2', 'dhcp.peer': '10.0.1.3', 'router-id': '192.0.2.1' },
  jsonOverlay: { '/etc/carpd/vips.json': { '/vhids/0/advskew': 0 } },
};
const fw2: Overrides = {
  interfaces: { lan: 'eth1', wan: 'eth0' },
  values: { 'lan.address': '10.0.1.3', 'dhcp.peer': '10.0.1.2', 'router-id': '192.0.2.2' },
  jsonOverlay: { '/etc/carpd/vips.json': { '/vhids/0/advskew': 100 } },
};

const nft = `table inet fw {
  chain input {
    iifname "enp3s0" ip daddr 10.0.1.2 tcp dport 22 accept
    iifname "enp1s0" ip saddr 10.0.1.20 drop
    iifname "enp3s00" drop
  }
}
`;

function roundTrip(path: string, text: string, from: Overrides, to: Overrides): string {
  const g = generalize(path, text, from);
  if (!g.ok) throw new Error(g.error.message);
  const s = specialize(path, g.value, to);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

describe('per-node overrides', () => {
  it("maps interfaces by role and replaces the source's own values by the receiver's", () => {
    expect(roundTrip('/etc/nftables.conf', nft, fw1, fw2)).toBe(`table inet fw {
  chain input {
    iifname "eth1" ip daddr 10.0.1.3 tcp dport 22 accept
    iifname "eth0" ip saddr 10.0.1.20 drop
    iifname "enp3s00" drop
  }
}
`);
  });

  it('swaps the DHCP failover peer: each node names the other', () => {
    const kea = 'this-server 10.0.1.2 peer 10.0.1.3 router-id 192.0.2.1.\n';
    expect(roundTrip('/etc/kea/kea-dhcp4.conf', kea, fw1, fw2)).toBe('this-server 10.0.1.3 peer 10.0.1.2 router-id 192.0.2.2.\n');
  });

  it('gives both nodes the same generic form, so checksums compare only what is synced', () => {
    const onFw2 = roundTrip('/etc/nftables.conf', nft, fw1, fw2);
    const g1 = generalize('/etc/nftables.conf', nft, fw1);
    const g2 = generalize('/etc/nftables.conf', onFw2, fw2);
    expect(g1.ok && g2.ok && g1.value === g2.value).toBe(true);
    expect(g1.ok && g1.value).toContain('iifname "{{if.lan}}" ip daddr {{node.lan.address}}');
  });

  it('keeps each node its own advskew in a JSON file through a JSON-pointer overlay', () => {
    const vips = JSON.stringify({ vhids: [{ vhid: 1, advskew: 0, vips: ['10.0.1.1/24'] }] });
    const out = JSON.parse(roundTrip('/etc/carpd/vips.json', vips, fw1, fw2));
    expect(out).toEqual({ vhids: [{ vhid: 1, advskew: 100, vips: ['10.0.1.1/24'] }] });
  });

  it('a "*" in an overlay pointer gives each node its value in every group, however many the file holds', () => {
    const every = (advskew: number): Overrides => ({ interfaces: {}, values: {}, jsonOverlay: { '/etc/carpd/vips.json': { '/vhids/*/advskew': advskew } } });
    const vips = JSON.stringify({ vhids: [1, 2, 3].map((vhid) => ({ vhid, advskew: 0, vips: [`10.0.1.${vhid}/24`] })) });
    const out = JSON.parse(roundTrip('/etc/carpd/vips.json', vips, every(0), every(100)));
    expect(out.vhids.map((v: { advskew: number }) => v.advskew)).toEqual([100, 100, 100]);
    // both nodes' files differ only in what each owns, so their generic forms (and checksums) are equal
    const g1 = generalize('/etc/carpd/vips.json', vips, every(0));
    const g2 = generalize('/etc/carpd/vips.json', JSON.stringify(out), every(100));
    expect(g1.ok && g2.ok && g1.value === g2.value).toBe(true);
    expect(generalize('/etc/carpd/vips.json', '{"vhids": {"a": {"advskew": 1}}}', every(0))).toMatchObject({ ok: false, error: { code: 'OVERLAY_POINTER' } });
  });

  it('refuses to render a file that needs a value this node does not define, naming the key to add', () => {
    const g = generalize('/etc/nftables.conf', nft, fw1);
    expect(g.ok).toBe(true);
    const r = specialize('/etc/nftables.conf', g.ok ? g.value : '', { ...fw2, interfaces: { lan: 'eth1' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'OVERRIDE_MISSING', message: expect.stringContaining('interfaces.wan') } });
  });

  it('refuses a JSON overlay pointer that points at nothing', () => {
    const r = generalize('/etc/carpd/vips.json', '{"vhids": []}', fw1);
    expect(r).toMatchObject({ ok: false, error: { code: 'OVERLAY_POINTER' } });
  });

  it('refuses a source file that holds a placeholder literally', () => {
    expect(generalize('/x', 'a {{node.lan.address}} b', fw1)).toMatchObject({ ok: false, error: { code: 'PLACEHOLDER_IN_FILE' } });
  });
});

describe('configSync schema', () => {
  const base = {
    role: 'receiver',
    listen: '10.0.3.3',
    peer: { address: '10.0.3.2', fingerprint: Array(32).fill('ab').join(':') },
    sections: ['nftables', { name: 'frr', files: ['/etc/frr/frr.conf'], validate: ['vtysh', '-C', '-f', '{file}'], apply: ['systemctl', 'reload', 'frr'] }],
  };

  it('accepts presets and custom sections and fills the defaults', () => {
    const c = configSyncSchema.parse(base);
    expect(c.port).toBe(8443);
    expect(c.peer.fingerprint).toMatch(/^AB:AB:/);
    expect(c.overrides).toEqual({ interfaces: {}, values: {}, jsonOverlay: {} });
  });

  it('names the field and the fix for an unknown preset, a custom section without files and a shell string', () => {
    const issues = (v: unknown) => configSyncSchema.safeParse({ ...base, sections: v }).error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    const names = issues(['nftablez', { name: 'frr' }]);
    expect(names).toContain('sections.0: is not a preset');
    expect(names).toContain('sections.1.files: is required for the custom section "frr"');
    expect(issues([{ name: 'x', files: ['/x'], apply: 'systemctl reload x' }])).toMatch(/^sections\.0\.apply: must be an argv array/);
  });

  it('refuses short or duplicate override values that would match unrelated text', () => {
    const r = configSyncSchema.safeParse({ ...base, overrides: { values: { advskew: '0' } } });
    expect(r.error?.issues[0].message).toContain('at least 3 characters');
    const d = configSyncSchema.safeParse({ ...base, overrides: { interfaces: { lan: 'eth1' }, values: { x: 'eth1' } } });
    expect(d.error?.issues[0].message).toContain('must be unique');
  });

  it('refuses a fingerprint that is not 32 hex bytes', () => {
    const r = configSyncSchema.safeParse({ ...base, peer: { address: '10.0.3.2', fingerprint: 'AB:CD' } });
    expect(r.error?.issues[0].path).toEqual(['peer', 'fingerprint']);
  });
});
