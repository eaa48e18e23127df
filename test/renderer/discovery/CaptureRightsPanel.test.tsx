import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryUpdate } from '../../../shared/api/contract.js';
import { CaptureRightsPanel } from '../../../renderer/src/discovery/CaptureRightsPanel.js';
import { DiscoveryView } from '../../../renderer/src/discovery/DiscoveryView.js';
import type { DiscoverySource } from '../../../renderer/src/discovery/source.js';

afterEach(cleanup);

const GRANT = 'sudo /usr/bin/node /opt/carpdeck/bin/carpdeck.cjs capture-rights grant --user alice';
const FIX = `Run "${GRANT}" once, then log out and in again. That installs a capture-only helper ...`;
const snapshot = { time: 1, started: 0, interface: 'eth0', packets: 0, groups: [], nodes: [], sync: [], findings: [], events: [] };

/** A backend whose every watch ends at once with the error given (and that never records). */
function endingWith(error: { code: string; message: string; fix?: string }): DiscoverySource {
  const notRecording = async (): Promise<never> => {
    throw new Error('no recording in this test');
  };
  const source = {
    interfaces: async () => [{ name: 'eth0', mac: '02:00:00:00:00:01', addresses: [], state: 'up' as const, loopback: false }],
    watch: async () =>
      (async function* (): AsyncGenerator<DiscoveryUpdate> {
        yield { seq: 1, kind: 'end', snapshot, error };
      })(),
    record: notRecording,
    recordingChunk: notRecording,
  };
  return source;
}

async function listenOnEth0(source: DiscoverySource) {
  render(<DiscoveryView source={source} />);
  const button = await screen.findByRole('button', { name: 'Listen on eth0' });
  await act(async () => fireEvent.click(button));
}

describe('capture rights panel', () => {
  it('on a permission error, explains what the grant installs, allows and how to undo it, with the backend\'s exact command', async () => {
    await listenOnEth0(endingWith({ code: 'permission-denied', message: 'no permission to capture on eth0: no capture helper is installed', fix: FIX }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('no permission to capture on eth0');
    const panel = screen.getByLabelText('Capture rights');
    expect(panel.textContent).toContain('What gets installed:');
    expect(panel.textContent).toContain('cap_net_raw and cap_net_admin');
    expect(panel.textContent).toContain('What it allows:');
    expect(panel.textContent).toContain('sudo carpdeck capture-rights revoke');
    expect(screen.getByTestId('grant-command').textContent).toBe(GRANT);
  });

  it('does not offer the grant for other capture errors', async () => {
    await listenOnEth0(endingWith({ code: 'no-such-interface', message: 'there is no interface "eth0"' }));
    expect(screen.getByRole('alert').textContent).toContain('there is no interface "eth0"');
    expect(screen.queryByLabelText('Capture rights')).toBeNull();
  });

  it('falls back to the generic grant command when the fix does not spell one out', () => {
    render(<CaptureRightsPanel fix="something else" platform="linux" />);
    expect(screen.getByTestId('grant-command').textContent).toBe('sudo carpdeck capture-rights grant --user "$USER"');
  });

  it('tells a Windows backend about Npcap and a macOS backend about BPF access instead of the grant', () => {
    render(<CaptureRightsPanel platform="win32" />);
    expect(screen.getByLabelText('Capture rights').querySelector('p')?.textContent).toBe(
      'Windows: Npcap (npcap.com), installed with "WinPcap API-compatible mode". If it was installed for Administrators only, CarpDeck has to run as Administrator.',
    );
    expect(screen.queryByTestId('grant-command')).toBeNull();
    cleanup();
    render(<CaptureRightsPanel platform="darwin" />);
    expect(screen.getByLabelText('Capture rights').querySelector('p')?.textContent).toContain('/dev/bpf*');
  });

  it('offers what each system needs in a help disclosure before anything went wrong', async () => {
    render(<DiscoveryView source={endingWith({ code: 'x', message: 'x' })} />);
    await screen.findByRole('button', { name: 'Listen on eth0' });
    const help = screen.getByText('Capture rights on Linux, Windows and macOS').closest('details');
    expect(help?.textContent).toContain('Npcap');
    expect(help?.textContent).toContain('access_bpf');
    expect(help?.textContent).toContain('capture-rights grant');
  });
});
