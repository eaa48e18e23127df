import { createConnection } from 'node:net';
import { responseSchema, type ControlRequest, type ControlResponse } from './protocol.js';

export class ControlClientError extends Error {
  constructor(
    readonly code: 'not-running' | 'permission' | 'bad-response' | 'connection',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends one request; resolves with the first response. With `onMore`, keeps the connection open and passes every
 * further line (events --follow) until the returned promise's connection closes.
 */
export function request(path: string, req: ControlRequest, onMore?: (r: ControlResponse) => void): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(path);
    let buf = '';
    let first = true;
    sock.setEncoding('utf8');
    sock.once('connect', () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') reject(new ControlClientError('not-running', `carpd is not running (no listener on ${path}); start it with "carpd --config FILE" or pass --socket PATH`));
      else if (e.code === 'EACCES') reject(new ControlClientError('permission', `permission denied on ${path}: the control socket is for root only (try sudo)`));
      else reject(new ControlClientError('connection', `${path}: ${e.code ?? e.message}`));
    });
    sock.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let parsed: ControlResponse;
        try {
          parsed = responseSchema.parse(JSON.parse(line));
        } catch {
          sock.destroy();
          reject(new ControlClientError('bad-response', `unexpected reply from ${path}: ${line.slice(0, 200)}`));
          return;
        }
        if (first) {
          first = false;
          resolve(parsed);
          if (!onMore) sock.end();
        } else onMore?.(parsed);
      }
    });
    sock.on('close', () => {
      if (first) reject(new ControlClientError('connection', `${path}: connection closed without a reply`));
    });
  });
}
