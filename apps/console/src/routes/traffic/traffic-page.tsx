import type { AppRouter } from '@avtrz/admin-graphql/trpc';
import type { inferRouterOutputs } from '@trpc/server';
import { useQuery } from '@tanstack/react-query';
import { Link } from '../../navigation/link.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { formatCount, formatCountOf } from '../../format.ts';
import { useWorkspaceId, workspacePath } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { keyLabel, keyState } from '../keys/key-view.ts';

type KeyTraffic = inferRouterOutputs<AppRouter>['traffic']['hosts'][number];
type HostRow = KeyTraffic['hosts'][number];

const DAYS = 7;

function sourceName(row: HostRow): string {
  if (row.source === 'host' && row.host) return row.host;
  if (row.source === 'none') return 'No Origin or Referer (servers, privacy settings)';
  if (row.source === 'unreadable') return 'Unreadable Origin/Referer (file: pages, "null")';
  return 'Other hosts (beyond the busiest kept per hour)';
}

function ListBadge({ row, type }: { readonly row: HostRow; readonly type: KeyTraffic['type'] }) {
  if (row.onList === null) return <span className="muted">—</span>;
  if (row.onList) return <span className="badge ok">On the list</span>;
  return <span className="badge bad">{type === 'publishable' ? 'Blocked: not on the list' : 'Not on the list'}</span>;
}

function KeyTrafficTable({ traffic }: { readonly traffic: KeyTraffic }) {
  const label = keyLabel(traffic);
  return (
    <section className="stack" aria-label={`Traffic of ${label}`}>
      <h2>
        {label} {keyState(traffic).kind === 'revoked' && <span className="badge bad">Revoked</span>}
      </h2>
      <p className="hint">
        {formatCountOf(traffic.requests, 'request', 'requests')}, {formatCount(traffic.blocked)} refused as
        domain_blocked. Allowed domains: {traffic.allowedDomains.length ? traffic.allowedDomains.join(', ') : 'none'}.
      </p>
      <div className="table-wrap">
        <table className="stacked" aria-label={`Hosts of ${label}`}>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col" className="num">
                Requests
              </th>
              <th scope="col" className="num">
                Refused
              </th>
              <th scope="col">Allow-list</th>
            </tr>
          </thead>
          <tbody>
            {traffic.hosts.map((row) => (
              <tr key={`${row.source}:${row.host ?? ''}`}>
                <td data-label="Host">
                  {row.source === 'host' ? (
                    <code>{sourceName(row)}</code>
                  ) : (
                    <span className="muted">{sourceName(row)}</span>
                  )}
                </td>
                <td className="num" data-label="Requests">
                  {formatCount(row.requests)}
                </td>
                <td className="num" data-label="Refused">
                  {formatCount(row.blocked)}
                </td>
                <td data-label="Allow-list">
                  <ListBadge row={row} type={traffic.type} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Where each key's requests came from: audit a leaked key, write an allow-list from what is seen. */
export function TrafficPage() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const traffic = useQuery({
    ...trpc.traffic.hosts.queryOptions({ workspaceId, days: DAYS }),
    refetchInterval: 60_000,
  });
  return (
    <>
      <PageHeader title="Traffic" />
      <p className="muted">
        The hosts in each request&apos;s Origin or Referer over the last {formatCountOf(DAYS, 'day', 'days')}, and
        whether each is on the key&apos;s allowed domains as they are now. Edit a key&apos;s domains on the{' '}
        <Link to={workspacePath(workspaceId, 'keys')}>API keys</Link> page.
      </p>
      <QueryState query={traffic} label="traffic">
        {(perKey) => {
          const seen = perKey.filter((k) => k.hosts.length > 0);
          return seen.length === 0 ? (
            <EmptyState title={`No requests in the last ${formatCountOf(DAYS, 'day', 'days')}`}>
              <p>Once a key is used, the hosts it is used from show up here.</p>
            </EmptyState>
          ) : (
            seen.map((k) => <KeyTrafficTable key={k.keyId} traffic={k} />)
          );
        }}
      </QueryState>
    </>
  );
}
