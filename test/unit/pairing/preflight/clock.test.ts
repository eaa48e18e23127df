import { describe, expect, it } from 'vitest';
import { clockCheck, estimateOffset, parseRemoteClock, sampleClock } from '../../../../electron/core/pairing/preflight/clock.js';
import { FakeSession, has } from './fake-session.js';

describe('preflight clock skew', () => {
  it('reads date +%s%N in nanoseconds, and whole seconds where %N is not supported', () => {
    expect(parseRemoteClock('1795668025311440285\n')).toEqual({ ms: 1795668025311, resolutionMs: 1 });
    expect(parseRemoteClock('1795668025N')).toEqual({ ms: 1795668025000, resolutionMs: 1000 });
    expect(parseRemoteClock('date: invalid')).toBeUndefined();
  });

  it('takes the offset at the midpoint of the shortest round trip, uncertain by half of it', () => {
    const est = estimateOffset([
      { sentMs: 1000, receivedMs: 1400, remoteMs: 6300, resolutionMs: 1 },
      { sentMs: 2000, receivedMs: 2020, remoteMs: 7015, resolutionMs: 1 },
      { sentMs: 3000, receivedMs: 3100, remoteMs: 8000, resolutionMs: 1 },
    ]);
    expect(est).toEqual({ offsetMs: 5005, uncertaintyMs: 10, rttMs: 20 });
  });

  it('fails a node 5 s ahead, passes one 200 ms off, and only warns when the round trip hides the answer', () => {
    expect(clockCheck('secondary', { offsetMs: 5005, uncertaintyMs: 10, rttMs: 20 }, 1000)).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^ahead of this computer by 5\.00 s/), fix: expect.stringContaining('NTP') });
    expect(clockCheck('primary', { offsetMs: -200, uncertaintyMs: 10, rttMs: 20 }, 1000)).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^behind this computer by 0\.20 s/), fix: '' });
    // 1.2 s off but the reading could be anywhere within ± 0.5 s: cannot tell
    expect(clockCheck('primary', { offsetMs: 1200, uncertaintyMs: 500, rttMs: 1000 }, 1000).status).toBe('warn');
    // 1.6 s off even at the most favourable end of ± 0.5 s: fails
    expect(clockCheck('primary', { offsetMs: 1600, uncertaintyMs: 500, rttMs: 1000 }, 1000).status).toBe('fail');
  });

  it('samples the node\'s clock three times over the session', async () => {
    let t = 1_795_668_025_000;
    const session = new FakeSession('root@fw', [[has('date'), () => ({ stdout: `${BigInt(t + 5000) * 1_000_000n}\n` })]]);
    const samples = await sampleClock(session, 3, () => (t += 10));
    expect(session.ran).toEqual([['date', '+%s%N'], ['date', '+%s%N'], ['date', '+%s%N']]);
    // each reading is taken at the sending time + 5000 ms; the midpoint is 5 ms later
    expect(estimateOffset(samples)!.offsetMs).toBe(4995);
  });
});
