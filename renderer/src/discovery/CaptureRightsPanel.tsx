import { useEffect, useState } from 'react';
import { getApi } from '../api/client.js';

/** The grant as the backend spells it in its fix (the exact command line for this machine and user). */
const GRANT_IN_FIX = /"(sudo [^"]* capture-rights grant[^"]*)"/;
const GRANT_FALLBACK = 'sudo carpdeck capture-rights grant --user "$USER"';

export const PLATFORM_NOTES = [
  ['Linux', 'A capture helper holding cap_net_raw and cap_net_admin, granted once with "sudo carpdeck capture-rights grant --user NAME" (the way Wireshark installs dumpcap), or running as root.'],
  ['Windows', 'Npcap (npcap.com), installed with "WinPcap API-compatible mode". If it was installed for Administrators only, CarpDeck has to run as Administrator.'],
  ['macOS', 'Read access to /dev/bpf*: Wireshark\'s ChmodBPF package creates the access_bpf group and gives it the BPF devices; join access_bpf, then log in again.'],
] as const;

const NOTE_FOR: Record<string, string> = { linux: 'Linux', win32: 'Windows', darwin: 'macOS' };

/** The operating system the backend runs on, as Node names it; null until known or without a backend. */
export function useBackendPlatform(): string | null {
  const [platform, setPlatform] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    getApi()
      .then((api) => api.system.info())
      .then((info) => live && setPlatform(info.platform))
      // without a backend the panel shows what every system needs
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return platform;
}

/**
 * Shown when a capture was refused for lack of rights: on Linux, what granting them installs, what it allows and
 * how to undo it, with the one command to run; on Windows and macOS what those systems need instead.
 */
export function CaptureRightsPanel({ fix, platform }: { fix?: string; platform?: string | null }) {
  const backend = useBackendPlatform();
  const os = platform === undefined ? backend : platform;
  const other = os === 'win32' || os === 'darwin';
  const command = GRANT_IN_FIX.exec(fix ?? '')?.[1] ?? GRANT_FALLBACK;
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(command).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="capture-rights-panel" aria-label="Capture rights">
      {other ? (
        <p>
          <strong>{NOTE_FOR[os]}: </strong>
          {PLATFORM_NOTES.find(([name]) => name === NOTE_FOR[os])?.[1]}
        </p>
      ) : (
        <>
          <h3>Let CarpDeck capture without running as root</h3>
          <p>Listening needs the right to capture packets. Rather than running the whole app as root, CarpDeck can give that right to one small program, once, with your consent:</p>
          <ul>
            <li>
              <strong>What gets installed:</strong> <code>/usr/local/lib/carpdeck/carpdeck-capture</code>, a standalone build of CarpDeck&apos;s capture helper, owned by root and runnable only by the group <code>carpdeck-capture</code>, with the file capabilities cap_net_raw and cap_net_admin (how Wireshark installs dumpcap). Your user joins that group.
            </li>
            <li>
              <strong>What it allows:</strong> members of the group can capture CARP/VRRP, pfsync, conntrackd, carpd beacons and ARP/NDP on any interface. The helper takes no filter strings and writes no files; the app itself stays unprivileged.
            </li>
            <li>
              <strong>How to undo it:</strong> <code>sudo carpdeck capture-rights revoke</code> removes the helper and the group; <code>carpdeck capture-rights status</code> shows what is in place.
            </li>
          </ul>
          <p>Run this once in a terminal, then log out and in again:</p>
          <div className="grant-command">
            <code data-testid="grant-command">{command}</code>{' '}
            <button type="button" className="button subtle" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </>
      )}
      <CaptureRightsHelp summary="What capturing needs on each system" />
    </div>
  );
}

/** A disclosure with what capturing needs on Linux, Windows and macOS. */
export function CaptureRightsHelp({ summary = 'Capture rights on Linux, Windows and macOS' }: { summary?: string }) {
  return (
    <details className="secrets capture-rights-help">
      <summary>{summary}</summary>
      <dl className="capture-rights">
        {PLATFORM_NOTES.map(([name, what]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
