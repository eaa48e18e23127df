// A recording's pcapng file in the page: fetched from the backend chunk by chunk, saved through a Blob URL, or
// handed to the Diagnostics view.
import { hashForView } from '../shell/use-hash-view.js';
import type { DiscoverySource } from './source.js';

/** The whole pcapng file of a recording (what was recorded so far, if it is still running). */
export async function fetchRecording(source: DiscoverySource, id: string): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await source.recordingChunk(id, offset);
    const bytes = fromBase64(chunk.data);
    parts.push(bytes);
    offset += bytes.length;
    if (offset >= chunk.total || bytes.length === 0) break;
  }
  const out = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** "carpdeck-eth0-20260126-101502.pcapng" (UTC), so recordings sort by time. */
export function recordingFileName(iface: string, startedMs: number): string {
  const t = new Date(startedMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `carpdeck-${iface.replace(/[^A-Za-z0-9_.-]/g, '_')}-${t}.pcapng`;
}

export function recordingFile(bytes: Uint8Array<ArrayBuffer>, name: string): File {
  return new File([bytes], name, { type: 'application/x-pcapng' });
}

/** Saves the file through a Blob URL (the browser's download; Electron asks where to save). */
export function saveFile(file: File): void {
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Switches to the Diagnostics view and opens `file` there. The Diagnostics view opens any capture dropped on the
 * window (diagnostics/use-window-drop.ts), so the hand-over is a drop of this file: no state shared between views.
 */
export function openInDiagnostics(file: File): void {
  window.location.hash = hashForView(window.location.hash, 'diagnostics');
  const drop = new Event('drop', { cancelable: true });
  Object.defineProperty(drop, 'dataTransfer', { value: { files: [file], types: ['Files'], dropEffect: 'copy' } });
  window.dispatchEvent(drop);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
