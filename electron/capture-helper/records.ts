// Splits a worker's little-endian pcap stream (as PcapWriter writes it) into whole packet records, so the helper
// forwards only complete records and a worker that dies mid-record leaves no half record in the app's stream.
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export class RecordSplitter {
  private buf = new Uint8Array(0);
  private headerSkipped = false;
  /** The stream's link type, once its file header has arrived. */
  linkType: number | null = null;

  /** Feeds bytes; returns the complete records they finish (file header removed), possibly none. */
  push(chunk: Uint8Array): Uint8Array | null {
    const data = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    let off = 0;
    if (!this.headerSkipped) {
      if (data.length < FILE_HEADER) {
        this.buf = data.slice();
        return null;
      }
      off = FILE_HEADER;
      this.headerSkipped = true;
      this.linkType = (data[20] | (data[21] << 8) | (data[22] << 16) | (data[23] << 24)) >>> 0;
    }
    let end = off;
    while (end + RECORD_HEADER <= data.length) {
      const caplen = (data[end + 8] | (data[end + 9] << 8) | (data[end + 10] << 16) | (data[end + 11] << 24)) >>> 0;
      if (end + RECORD_HEADER + caplen > data.length) break;
      end += RECORD_HEADER + caplen;
    }
    this.buf = data.slice(end);
    return end > off ? data.subarray(off, end) : null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
