const CHECKS: [title: string, text: string][] = [
  ['Master timeline', 'Who was master of each CARP and VRRP group, and for how long.'],
  ['Why it changed', 'Preemption, takeover after silence (measured against the protocol bound), bow-out, demotion.'],
  ['Split brain', 'Two nodes acting as master of one group at the same time, or of one VIP under two groups; for VRRP, the settings that differ (password, auth type, interval, VIP list, version).'],
  ['vhid collisions', 'One vhid used by CARP and VRRP, or by two clusters with different settings.'],
  ['Authentication', 'CARP HMACs checked against the passwords you give below.'],
  ['Packet health', 'TTL 255, checksums, counter jumps, echoed advertisements, flapping, irregular intervals.'],
];

/** What the analysis looks for, shown before a file is opened. */
export function ChecksOverview() {
  return (
    <section className="checks" aria-label="What the analysis checks">
      {CHECKS.map(([title, text]) => (
        <div key={title} className="check">
          <h3>{title}</h3>
          <p>{text}</p>
        </div>
      ))}
    </section>
  );
}
