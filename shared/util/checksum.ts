/** RFC 1071 Internet checksum helpers. */

/** Adds the bytes as big-endian 16-bit words (odd trailing byte padded with zero) to `sum`, without folding. */
export function sumWords(data: Uint8Array, sum = 0, start = 0, end = data.length): number {
  let i = start;
  const last = end - 1;
  for (; i < last; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (i === last) sum += data[i] << 8;
  return sum;
}

/** Folds carries into 16 bits (still not complemented). */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum to store: one's complement of the folded sum. */
export function internetChecksum(data: Uint8Array, start = 0, end = data.length, initial = 0): number {
  return ~foldSum(sumWords(data, initial, start, end)) & 0xffff;
}

/** True when the bytes (checksum field included) sum to 0xffff, i.e. the stored checksum is right. */
export function checksumVerifies(data: Uint8Array, start = 0, end = data.length, initial = 0): boolean {
  return foldSum(sumWords(data, initial, start, end)) === 0xffff;
}

/** Partial sum of an IPv4/IPv6 pseudo-header (src, dst, upper-layer length, next header). */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  let sum = sumWords(src) + sumWords(dst) + protocol;
  sum += (length >>> 16) + (length & 0xffff);
  return sum;
}
