// A capture that ended for lack of rights, explained from the capture-rights status: what is missing for this
// user and the one command that fixes it, with what that command installs and how to undo it.
import { CAPABILITIES } from './paths.js';
import { prefixOption, type CaptureRightsStatus } from './status.js';

export function explainCapturePermission(iface: string, st: CaptureRightsStatus, cli: string): { message: string; fix: string } {
  const message = `no permission to capture on ${iface}`;
  if (st.using === 'granted') {
    return {
      message: `${message}, although the granted helper ${st.helper.path} was used: its capabilities are not effective here`,
      fix: 'A container, a user namespace or a service manager may bound the capabilities of this session; run the capture as root, or outside it.',
    };
  }
  if (st.using === 'root') {
    return { message: `${message} even as root`, fix: 'This process lacks CAP_NET_RAW: a container or user namespace may withhold it. Capture on the host, or give the container NET_RAW and NET_ADMIN.' };
  }
  if (st.platform !== 'linux') return { message: `${message}: ${st.reason}`, fix: st.fix ?? '' };
  const consent = `That installs a capture-only helper with ${CAPABILITIES} in ${st.prefix}, runnable by the group ${st.group} only, the way Wireshark does for dumpcap; "sudo ${cli} capture-rights revoke${prefixOption(st.prefix)}" removes it. Or run the capture as root.`;
  return { message: `${message}: ${st.reason}`, fix: `${st.fix ?? ''} ${consent}`.trim() };
}
