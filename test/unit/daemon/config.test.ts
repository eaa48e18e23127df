import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../daemon/config/load.js';

const base = { node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', password: 'secret', vips: ['10.0.1.1/24'] }] };
const parse = (obj: unknown) => parseConfigText(JSON.stringify(obj), 'carpd.json');
const errorOf = (obj: unknown) => {
  const r = parse(obj);
  if (r.ok) throw new Error('expected a config error');
  return r.error;
};

describe('carpd config', () => {
  it('fills documented defaults for a minimal config', () => {
    const r = parse(base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.controlSocket).toBe('/run/carpd.sock');
    expect(r.config.stateDir).toBe('/var/lib/carpd');
    expect(r.config.eventLogLines).toBe(10_000);
    expect(r.config.vhids[0]).toMatchObject({ advbase: 1, advskew: 0, preempt: true, mode: 'multicast', virtualMac: false });
  });

  it('names the field path and the bad value for an out-of-range advskew', () => {
    const e = errorOf({ ...base, vhids: [{ ...base.vhids[0], advskew: 300 }] });
    expect(e.code).toBe('config-invalid');
    expect(e.message).toContain('vhids[0].advskew: must be 0..254, got 300');
  });

  it('rejects unknown fields so typos are not silently ignored', () => {
    const e = errorOf({ ...base, vhids: [{ ...base.vhids[0], advskw: 100 }] });
    expect(e.message).toMatch(/vhids\[0\]: unknown field "advskw"/);
  });

  it('says a required field is missing', () => {
    const e = errorOf({ vhids: base.vhids });
    expect(e.message).toContain('node: is required');
  });

  it('rejects a VIP without prefix length', () => {
    const e = errorOf({ ...base, vhids: [{ ...base.vhids[0], vips: ['10.0.1.1'] }] });
    expect(e.message).toContain('vhids[0].vips[0]: must be an IPv4 or IPv6 address with prefix length');
  });

  it('requires a peer in unicast mode', () => {
    const e = errorOf({ ...base, vhids: [{ ...base.vhids[0], mode: 'unicast' }] });
    expect(e.message).toContain('vhids[0].peer: is required when mode is "unicast"');
  });

  it('requires exactly one IPv4 VIP per vhid with compat ucarp', () => {
    const e = errorOf({ ...base, vhids: [{ ...base.vhids[0], compat: 'ucarp', vips: ['10.0.1.1/24', '10.0.1.2/24'] }] });
    expect(e.message).toContain('vhids[0].vips: must be exactly one IPv4 address with compat "ucarp"');
  });

  it('rejects the same vhid twice on one interface', () => {
    const e = errorOf({ ...base, vhids: [base.vhids[0], { ...base.vhids[0], vips: ['10.0.1.2/24'] }] });
    expect(e.message).toContain('vhids[1].vhid: vhid 1 on lan is already configured in vhids[0]');
  });

  it('warns that only 19 bytes of a long password are used', () => {
    const r = parse({ ...base, vhids: [{ ...base.vhids[0], password: 'abcdefghijklmnopqrstuvwxy' }] });
    expect(r.ok && r.warnings.join('\n')).toContain('only the first 19 are used');
  });

  it('says what shape is expected when the top level or a vhid is not an object', () => {
    expect(errorOf([1, 2]).message).toContain('(top level): must be a JSON object with "node" and "vhids", got an array');
    expect(errorOf({ node: 'fw1', vhids: [3] }).message).toContain('vhids[0]: must be a vhid object such as');
  });

  it('accepts a stateSync block and names its fields in errors', () => {
    const r = parse({ ...base, stateSync: { interface: 'sync', peer: '10.0.3.3' } });
    expect(r.ok && r.config.stateSync).toMatchObject({ interface: 'sync', peer: '10.0.3.3', transport: 'unicast' });
    expect(errorOf({ ...base, stateSync: { interface: 'sync' } }).message).toContain('stateSync.peer: is required with unicast transport');
  });

  it('gives line and column for malformed JSON', () => {
    const r = parseConfigText('{\n  "node": "fw1",\n  }\n', 'bad.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('config-json');
    expect(r.error.where).toBe('bad.json:3:3');
  });
});
