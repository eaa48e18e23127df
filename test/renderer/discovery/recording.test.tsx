import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryRecording, DiscoveryRecordingChunk, DiscoveryUpdate } from '../../../shared/api/contract.js';
import { DiscoveryView } from '../../../renderer/src/discovery/DiscoveryView.js';
import { fetchRecording, recordingFileName } from '../../../renderer/src/discovery/recording-file.js';
import type { DiscoverySource } from '../../../renderer/src/discovery/source.js';
import { viewFromHash } from '../../../renderer/src/shell/use-hash-view.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

const T = 1_800_000_000;
const STARTED_MS = Date.UTC(2027, 0, 15, 9, 30, 5);
const SNAPSHOT = { time: T + 1, started: T, interface: 'eth0', packets: 10, groups: [], nodes: [], sync: [], findings: [], events: [] };
/** The recording's "file": 10 bytes, fetched in chunks of 4. */
const FILE = Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 1, 2, 3, 4, 5, 6]);

/** A backend stand-in: the test pushes updates; record and recordingChunk answer like discovery.record / .recording. */
class RecordingSource implements DiscoverySource {
  calls: string[] = [];
  private queue: DiscoveryUpdate[] = [];
  private wake: (() => void) | null = null;
  rec: DiscoveryRecording = { id: 'r1', interface: 'eth0', active: false, frames: 0, bytes: 0, started: STARTED_MS, stopped: null, limitBytes: 64 << 20 };

  async interfaces() {
    return [{ name: 'eth0', mac: null, addresses: ['10.0.1.100/24'], state: 'up' as const, loopback: false }];
  }

  async watch(_input: unknown, signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake?.());
    return this.updates(signal);
  }

  private async *updates(signal: AbortSignal): AsyncGenerator<DiscoveryUpdate> {
    while (!signal.aborted) {
      const u = this.queue.shift();
      if (u) yield u;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }

  async record(watch: string, on: boolean) {
    this.calls.push(`record ${watch} ${on}`);
    this.rec = on ? { ...this.rec, active: true, frames: 0, bytes: 0 } : { ...this.rec, active: false, stopped: 'user', frames: 3, bytes: FILE.length };
    return this.rec;
  }

  async recordingChunk(id: string, offset: number): Promise<DiscoveryRecordingChunk> {
    this.calls.push(`chunk ${id} ${offset}`);
    const part = FILE.subarray(offset, offset + 4);
    return { data: btoa(String.fromCharCode(...part)), offset, total: FILE.length, recording: this.rec };
  }

  async push(u: DiscoveryUpdate) {
    await act(async () => {
      this.queue.push(u);
      this.wake?.();
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

async function listening(source: RecordingSource) {
  render(<DiscoveryView source={source} />);
  const pick = await screen.findByRole('button', { name: 'Listen on eth0' });
  await act(async () => fireEvent.click(pick));
  await source.push({ seq: 1, kind: 'snapshot', snapshot: SNAPSHOT, watch: 'w1' });
}

describe('Discovery view: recording the live capture', () => {
  it('starts and stops recording the running watch and shows its progress', async () => {
    const source = new RecordingSource();
    await listening(source);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Record' })));
    expect(source.calls).toEqual(['record w1 true']);
    await source.push({ seq: 2, kind: 'snapshot', snapshot: SNAPSHOT, watch: 'w1', recording: { ...source.rec, frames: 1234, bytes: 150_000 } });
    expect(document.body.textContent).toContain('Recording 1,234 packets · 147 KiB');
    expect(screen.queryByRole('button', { name: 'Save as pcapng' })).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Stop recording' })));
    expect(source.calls).toEqual(['record w1 true', 'record w1 false']);
    expect(document.body.textContent).toContain('Recorded 3 packets');
    expect(screen.getByRole('button', { name: 'Save as pcapng' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record again' })).toBeTruthy();
  });

  it('opens the recording in the Diagnostics view: switches the view and drops the pcapng file there', async () => {
    const source = new RecordingSource();
    window.location.hash = '#token=abc&view=discovery';
    await listening(source);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Record' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Stop recording' })));
    const dropped: File[] = [];
    const onDrop = (e: Event) => dropped.push((e as DragEvent).dataTransfer!.files[0]);
    window.addEventListener('drop', onDrop);
    try {
      await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Open in Diagnostics' })));
      await act(async () => new Promise((r) => setTimeout(r, 0)));
    } finally {
      window.removeEventListener('drop', onDrop);
    }
    expect(viewFromHash(window.location.hash)).toBe('diagnostics');
    expect(window.location.hash).toContain('token=abc');
    expect(dropped).toHaveLength(1);
    expect(dropped[0].name).toBe('carpdeck-eth0-20270115-093005.pcapng');
    expect(new Uint8Array(await dropped[0].arrayBuffer())).toEqual(FILE);
    expect(source.calls.filter((c) => c.startsWith('chunk'))).toEqual(['chunk r1 0', 'chunk r1 4', 'chunk r1 8']);
  });

  it('says why recording could not start', async () => {
    const source = new RecordingSource();
    source.record = () => Promise.reject(new Error('no running discovery watch "w1": it ended; listen again, then record'));
    await listening(source);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Record' })));
    expect(screen.getByRole('alert').textContent).toContain('no running discovery watch "w1": it ended; listen again, then record');
  });

  it('joins the chunks into one file and names it after the interface and the start time (UTC)', async () => {
    const bytes = await fetchRecording(new RecordingSource(), 'r1');
    expect(bytes).toEqual(FILE);
    expect(recordingFileName('eth0.100', STARTED_MS)).toBe('carpdeck-eth0.100-20270115-093005.pcapng');
    expect(recordingFileName('a/b', STARTED_MS)).toBe('carpdeck-a_b-20270115-093005.pcapng');
  });
});
