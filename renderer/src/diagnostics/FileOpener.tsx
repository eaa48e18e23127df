import { useRef, useState, type DragEvent } from 'react';

interface Props {
  onFile(file: File): void;
  /** Smaller variant for the toolbar once a report is shown. */
  compact?: boolean;
}

/** A file picker that also accepts a file dropped on it. Nothing leaves the computer. */
export function FileOpener({ onFile, compact = false }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file) onFile(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files);
  };
  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  const picker = (
    <input
      ref={input}
      type="file"
      className="visually-hidden"
      data-testid="capture-input"
      aria-label="Capture file"
      accept=".pcap,.pcapng,.cap,.dmp,application/vnd.tcpdump.pcap"
      onChange={(e) => {
        pick(e.target.files);
        e.target.value = '';
      }}
    />
  );

  if (compact) {
    return (
      <>
        {picker}
        <button type="button" className="button" onClick={() => input.current?.click()}>
          Open another capture…
        </button>
      </>
    );
  }
  return (
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {picker}
      <p className="drop-title">Drop a capture file here</p>
      <p className="drop-sub">pcap or pcapng from tcpdump, Wireshark, pfSense or OPNsense</p>
      <button type="button" className="button primary" onClick={() => input.current?.click()}>
        Choose a file…
      </button>
      <p className="drop-privacy">The file is read on this computer. Nothing is uploaded.</p>
    </div>
  );
}
