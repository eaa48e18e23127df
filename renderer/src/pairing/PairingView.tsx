/** The pairing wizard: preflight, plan, apply, verify and drill, report. */
export function PairingView() {
  return <section className="pairing-view" aria-label="Pairing" />;
}
