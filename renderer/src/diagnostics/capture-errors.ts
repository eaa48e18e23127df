/** Headlines for the capture layer's error codes (the message itself comes from the reader). */
const TITLES: Record<string, string> = {
  'not-a-capture': 'This is not a capture file',
  truncated: 'The capture file is cut short',
  'bad-block': 'The capture file is damaged',
  'unsupported-version': 'This capture format version is not supported',
  'too-large': 'A record in this file is too large',
};

export function captureErrorTitle(code: string): string {
  return TITLES[code] ?? 'The capture could not be analysed';
}
