// One "add node" login: runs the connect stream, surfaces each prompt (host key, password, keyboard-interactive)
// for the person to answer, and says how it ended. Secrets typed into prompts go straight into `answer` and are
// not kept here.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterPrompt, ConnectInput } from '../../../shared/api/cluster-contract.js';
import { toPanelError, type ClusterSource, type PanelError } from './source.js';

export type ConnectState =
  | { phase: 'idle' }
  | { phase: 'connecting'; target: string }
  | { phase: 'prompt'; target: string; prompt: ClusterPrompt }
  | { phase: 'connected'; target: string; node: string; fingerprint: string }
  | { phase: 'failed'; target: string; error: PanelError };

export function useConnect(source: ClusterSource) {
  const [state, setState] = useState<ConnectState>({ phase: 'idle' });
  const running = useRef<AbortController | null>(null);

  const connect = useCallback(
    async (input: ConnectInput) => {
      running.current?.abort();
      const abort = new AbortController();
      running.current = abort;
      const target = input.target;
      setState({ phase: 'connecting', target });
      let ended = false;
      try {
        const stream = await source.connect(input, abort.signal);
        for await (const u of stream) {
          if (abort.signal.aborted) return;
          if (u.kind === 'prompt') setState({ phase: 'prompt', target, prompt: u.prompt });
          else {
            ended = true;
            setState(u.kind === 'connected' ? { phase: 'connected', target, node: u.node, fingerprint: u.fingerprint } : { phase: 'failed', target, error: u.error });
          }
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        ended = true;
        setState({ phase: 'failed', target, error: toPanelError(err) });
      }
      if (!ended && !abort.signal.aborted) setState({ phase: 'failed', target, error: { code: 'ended', message: `The login to ${target} ended without an answer from the backend. Try again.` } });
    },
    [source],
  );

  const answer = useCallback(
    async (reply: { id: string; accept?: boolean; answers?: string[] }) => {
      setState((s) => (s.phase === 'prompt' ? { phase: 'connecting', target: s.target } : s));
      try {
        await source.answer(reply);
      } catch (err) {
        setState((s) => ('target' in s ? { phase: 'failed', target: s.target, error: toPanelError(err) } : s));
      }
    },
    [source],
  );

  const dismiss = useCallback(() => {
    running.current?.abort();
    running.current = null;
    setState({ phase: 'idle' });
  }, []);

  useEffect(() => () => running.current?.abort(), []);
  return { state, connect, answer, dismiss };
}
