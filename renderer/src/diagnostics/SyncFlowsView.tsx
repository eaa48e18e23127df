import type { SyncFlow } from './sync-flows.js';
import { formatCount, formatUtc } from './format.js';

/** pfsync and conntrackd traffic per direction: is state being synchronised, and how much. */
export function SyncFlowsView({ flows }: { flows: SyncFlow[] }) {
  return (
    <div className="groups-scroll">
      <table className="groups-table sync-table">
        <thead>
          <tr>
            <th>Protocol</th>
            <th>From → to</th>
            <th>Packets</th>
            <th>Seen</th>
            <th>States inserted / updated / deleted</th>
            <th>Bulk updates</th>
          </tr>
        </thead>
        <tbody>
          {flows.map((f) => (
            <tr key={`${f.kind} ${f.src} ${f.dst}`} data-kind={f.kind}>
              <td>{f.kind === 'pfsync' ? `pfsync${f.versions.length ? ` v${f.versions.join(', v')}` : ''}` : 'conntrackd'}</td>
              <td className="mono">
                {f.src} → {f.dst}
              </td>
              <td>{formatCount(f.packets)}</td>
              <td>
                {formatUtc(f.firstTime)} → {formatUtc(f.lastTime)}
              </td>
              <td>
                {f.kind === 'pfsync'
                  ? `${formatCount(f.inserted)} / ${formatCount(f.updated)} / ${formatCount(f.deleted)}`
                  : `${formatCount(f.messages)} messages`}
              </td>
              <td>{f.kind === 'pfsync' ? `${f.bulkStarts} started, ${f.bulkEnds} ended` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
