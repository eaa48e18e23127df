import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Forwards lines to syslog through logger(1) when /dev/log exists (Node has no Unix datagram sockets);
 * quietly does nothing otherwise.
 */
export function syslogSink(enabled: boolean): (priority: 'notice' | 'warning' | 'info', line: string) => void {
  const available = enabled && existsSync('/dev/log');
  return (priority, line) => {
    if (!available) return;
    execFile('logger', ['-t', 'carpd', '-p', `daemon.${priority}`, '--', line], () => {});
  };
}
