import { readFileSync } from 'node:fs';

function readSys(iface: string, file: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${iface}/${file}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Link is usable: operstate up, or unknown with carrier (some virtual devices never report "up"). */
export function linkUp(iface: string): boolean {
  const oper = readSys(iface, 'operstate');
  if (oper === 'up') return true;
  if (oper === 'unknown') return readSys(iface, 'carrier') === '1';
  return false;
}
