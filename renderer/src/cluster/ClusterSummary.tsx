// Per vhid, every node's state side by side: who is master now, and a warning when more than one node is.
import type { ClusterNode } from '../../../shared/api/cluster-contract.js';
import { StateBadge } from './NodeCard.js';

type VhidState = NonNullable<ClusterNode['carpd']>['vhids'][number]['state'];

export function ClusterSummary({ nodes }: { nodes: ClusterNode[] }) {
  const byVhid = new Map<number, { node: string; state: VhidState }[]>();
  for (const n of nodes) for (const v of n.carpd?.vhids ?? []) byVhid.set(v.vhid, [...(byVhid.get(v.vhid) ?? []), { node: n.carpd?.name ? `${n.carpd.name} (${n.id})` : n.id, state: v.state }]);
  if (byVhid.size === 0) return null;
  return (
    <section className="panel" aria-label="Cluster summary">
      <h2>Who is master</h2>
      <ul className="summary-list">
        {[...byVhid.entries()]
          .sort(([a], [b]) => a - b)
          .map(([vhid, states]) => {
            const masters = states.filter((s) => s.state === 'MASTER').length;
            return (
              <li key={vhid} data-vhid={vhid}>
                <strong>vhid {vhid}</strong>
                {states.map((s) => (
                  <span key={s.node} className="summary-node">
                    {s.node} <StateBadge state={s.state} />
                  </span>
                ))}
                {masters > 1 && <span className="badge danger-badge">split brain: {masters} masters</span>}
                {masters === 0 && <span className="badge warning">no master among these nodes</span>}
              </li>
            );
          })}
      </ul>
    </section>
  );
}
