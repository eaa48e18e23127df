// The pairing wizard's procedures (preflight, plan, apply, verify, drill, report); data shapes in shared/pairing.
export const pairingContract = {};
