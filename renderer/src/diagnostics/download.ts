/** Saves text as a file through a Blob URL (works in Electron and the browser; nothing leaves the computer). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "site.pcapng" → "site-carpdeck-report.html". */
export function reportFileName(captureName: string): string {
  const base = captureName.replace(/\.(pcapng|pcap|cap|dmp)$/i, '') || 'capture';
  return `${base}-carpdeck-report.html`;
}
