import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ConnectionStatus } from '../../../renderer/src/shell/ConnectionStatus.js';
import { NoticeBanner } from '../../../renderer/src/shell/NoticeBanner.js';
import { ApiError } from '../../../renderer/src/api/errors.js';

afterEach(cleanup);

const info = { version: '0.1.0', mode: 'browser' as const, platform: 'linux' };

describe('connection status pill', () => {
  it('shows connected with the backend version', () => {
    render(<ConnectionStatus connection={{ status: 'open', transport: 'websocket' }} info={info} />);
    const pill = screen.getByRole('status');
    expect(pill.textContent).toBe('Connectedv0.1.0');
    expect(pill.title).toBe('CarpDeck 0.1.0 on linux (browser)');
    expect(pill.className).toContain('ok');
  });

  it('shows reconnect attempts', () => {
    render(<ConnectionStatus connection={{ status: 'reconnecting', transport: 'websocket', attempt: 3, retryInMs: 2500 }} info={null} />);
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    expect(screen.getByRole('status').title).toBe('Connection lost; attempt 3 in 3 s');
  });

  it('says offline with the reason, and that diagnostics still work', () => {
    const error = new ApiError('NO_TOKEN', 'This page was opened without its access token.', 'http://127.0.0.1:1/');
    render(<ConnectionStatus connection={{ status: 'failed', transport: 'websocket', error }} info={null} />);
    const pill = screen.getByRole('status');
    expect(pill.textContent).toBe('Offline');
    expect(pill.title).toBe('This page was opened without its access token. Diagnostics of capture files still work.');
  });
});

describe('notice banner', () => {
  it('shows the latest notice until dismissed', () => {
    const notice = { kind: 'notice' as const, seq: 4, time: 0, level: 'warning' as const, message: 'carpdeck serve is shutting down' };
    const { rerender } = render(<NoticeBanner notice={notice} />);
    expect(screen.getByRole('alert').textContent).toContain('carpdeck serve is shutting down');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notice' }));
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<NoticeBanner notice={{ ...notice, seq: 5, level: 'info', message: 'back' }} />);
    expect(screen.getByRole('status').textContent).toContain('back');
  });
});
