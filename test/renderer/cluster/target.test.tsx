import { describe, expect, it } from 'vitest';
import { targetProblem } from '../../../renderer/src/cluster/target.js';

describe('SSH address check', () => {
  it('accepts USER@HOST, USER@HOST:PORT and bracketed IPv6', () => {
    for (const t of ['root@192.0.2.1', 'admin@fw1.example:2222', 'root@[2001:db8::1]', 'root@[2001:db8::1]:22', ' root@10.0.0.1 ']) expect(targetProblem(t), t).toBeNull();
  });

  it('names what is wrong and how to write it', () => {
    expect(targetProblem('')).toBe('Enter the SSH address as USER@HOST or USER@HOST:PORT, for example root@192.0.2.1.');
    expect(targetProblem('fw1')).toBe('"fw1" has no user: write it as USER@HOST, for example root@fw1.');
    expect(targetProblem('root@fw1:70000')).toBe('port 70000 is not a TCP port; use 1 to 65535 (22 is SSH\'s).');
    expect(targetProblem('root@fw 1')).toBe('"root@fw 1" contains a space; an SSH address is USER@HOST[:PORT] with no spaces.');
    expect(targetProblem('root@2001:db8::1')).toMatch(/^"2001:db8::1" is not a host: .*IPv6 in brackets: root@\[2001:db8::1\]:22/);
  });
});
