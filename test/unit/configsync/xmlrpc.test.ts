import { describe, expect, it } from 'vitest';
import { decodeCall, decodeResponse, encodeCall, encodeFault, encodeResponse, XmlRpcError } from '../../../daemon/configsync/xmlrpc.js';

describe('XML-RPC codec', () => {
  it('round-trips every type through a call', () => {
    const params = [42, -7, 1.5, true, false, 'a <b> & "c"', new Uint8Array([0, 1, 255]), null, [1, 'x', [2]], { name: 'fw1', nested: { ok: true }, list: [] }];
    expect(decodeCall(encodeCall('carpdeck.status', params))).toEqual({ method: 'carpdeck.status', params });
  });

  it('round-trips responses and faults', () => {
    expect(decodeResponse(encodeResponse({ ok: true, n: 3 }))).toEqual({ fault: false, value: { ok: true, n: 3 } });
    expect(decodeResponse(encodeFault(4, 'no such method'))).toEqual({ fault: true, code: 4, message: 'no such method' });
  });

  it('reads a hand-written call with whitespace, untyped strings, i4 and character references', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<methodCall>
  <methodName>carpdeck.checksums</methodName>
  <params>
    <param><value>plain &#65;&#x42;</value></param>
    <param><value><i4> 12 </i4></value></param>
  </params>
</methodCall>`;
    expect(decodeCall(xml)).toEqual({ method: 'carpdeck.checksums', params: ['plain AB', 12] });
  });

  it.each([
    ['a DTD with an entity', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><methodCall><methodName>a</methodName></methodCall>', /not allowed/],
    ['a comment', '<methodCall><!-- x --><methodName>a</methodName></methodCall>', /not allowed/],
    ['CDATA', '<methodCall><methodName><![CDATA[a]]></methodName></methodCall>', /not allowed/],
    ['attributes', '<methodCall kind="x"><methodName>a</methodName></methodCall>', /attribute/],
    ['an unknown entity', '<methodCall><methodName>&foo;</methodName></methodCall>', /unknown entity/],
    ['mismatched tags', '<methodCall><methodName>a</methodCall>', /does not close/],
    ['an unclosed root', '<methodCall><methodName>a</methodName>', /never closed/],
    ['two roots', '<methodCall><methodName>a</methodName></methodCall><methodCall/>', /second root/],
    ['a bad int', '<methodCall><methodName>a</methodName><params><param><value><int>1e3</int></value></param></params></methodCall>', /not an integer/],
    ['a bad boolean', '<methodCall><methodName>a</methodName><params><param><value><boolean>yes</boolean></value></param></params></methodCall>', /0 or 1/],
    ['bad base64', '<methodCall><methodName>a</methodName><params><param><value><base64>@@@</base64></value></param></params></methodCall>', /base64/],
    ['an unknown type', '<methodCall><methodName>a</methodName><params><param><value><object/></value></param></params></methodCall>', /unknown value type/],
    ['a duplicate struct member', '<methodCall><methodName>a</methodName><params><param><value><struct><member><name>k</name><value>1</value></member><member><name>k</name><value>2</value></member></struct></value></param></params></methodCall>', /twice/],
    ['text beside elements', '<methodCall>junk<methodName>a</methodName></methodCall>', /must not hold text/],
    ['a control character reference', '<methodCall><methodName>&#1;</methodName></methodCall>', /not allowed/],
  ])('refuses %s with a message saying what is wrong', (_name, xml, why) => {
    expect(() => decodeCall(xml)).toThrow(XmlRpcError);
    expect(() => decodeCall(xml)).toThrow(why);
  });

  it('enforces size, depth and element-count limits', () => {
    const deep = `<methodCall><methodName>a</methodName><params><param>${'<value><array><data>'.repeat(30)}${'</data></array></value>'.repeat(30)}</param></params></methodCall>`;
    expect(() => decodeCall(deep)).toThrow(/deeper than/);
    const big = encodeCall('a', ['x'.repeat(2000)]);
    expect(() => decodeCall(big, { maxBytes: 1000, maxDepth: 40, maxElements: 1000 })).toThrow(/larger than 1000 bytes/);
    const many = encodeCall('a', [Array.from({ length: 600 }, (_, i) => i)]);
    expect(() => decodeCall(many, { maxBytes: 1 << 20, maxDepth: 40, maxElements: 1000 })).toThrow(/more than 1000 elements/);
  });

  it('refuses to encode strings XML cannot carry', () => {
    expect(() => encodeCall('a', ['bell\u0007'])).toThrow(/base64/);
  });
});
