import { describe, expect, it } from 'vitest';
import type { ClusterPrompt } from '../../../shared/api/cluster-contract.js';
import { PromptRelay, uiPrompter } from '../../../electron/core/cluster/prompts.js';

describe('SSH prompter over the UI prompt relay', () => {
  it('relays a keyboard-interactive round with its prompts and echo flags, and returns the answers', async () => {
    const relay = new PromptRelay();
    const shown: ClusterPrompt[] = [];
    const p = uiPrompter({ relay, owner: 'a', show: (x) => shown.push(x) });
    const answers = p.keyboardInteractive!({ name: 'OTP', instructions: 'two factors', prompts: [{ prompt: 'Password: ', echo: false }, { prompt: 'Code: ', echo: true }] });
    expect(shown).toEqual([{ id: expect.any(String), type: 'keyboard', name: 'OTP', instructions: 'two factors', prompts: [{ prompt: 'Password: ', echo: false }, { prompt: 'Code: ', echo: true }] }]);
    expect(relay.answer(shown[0].id, { answers: ['pw', '123456'] })).toBe(true);
    expect(await answers).toEqual(['pw', '123456']);
    expect(relay.answer(shown[0].id, { answers: ['again'] })).toBe(false);
  });

  it('answers a lone password round with the saved password once, then asks, reporting what was typed', async () => {
    const relay = new PromptRelay();
    const shown: ClusterPrompt[] = [];
    const typed: string[] = [];
    const p = uiPrompter({ relay, owner: 'a', show: (x) => shown.push(x), savedPassword: 'saved', typedPassword: (t) => typed.push(t) });
    const round = { name: '', instructions: '', prompts: [{ prompt: 'Password: ', echo: false }] };
    expect(await p.keyboardInteractive!(round)).toEqual(['saved']);
    expect(shown).toHaveLength(0);
    const asked = p.keyboardInteractive!(round);
    relay.answer(shown[0].id, { answers: ['typed'] });
    expect(await asked).toEqual(['typed']);
    expect(typed).toEqual(['typed']);
  });

  it("cancelling an owner's prompts ends them unanswered (host key refused, password absent)", async () => {
    const relay = new PromptRelay();
    const p = uiPrompter({ relay, owner: 'gone', show: () => undefined });
    const key = p.confirmHostKey({ host: 'h', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:x' });
    const password = p.password!('root@h');
    expect(relay.size).toBe(2);
    relay.cancel('other');
    expect(relay.size).toBe(2);
    relay.cancel('gone');
    expect(await key).toBe(false);
    expect(await password).toBeUndefined();
    expect(relay.size).toBe(0);
  });
});
