/** The control panel: nodes, their vhids and sync health, actions, and the merged event timeline. */
export function ClusterView() {
  return <section className="cluster-view" aria-label="Cluster" />;
}
