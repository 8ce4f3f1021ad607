import { useQuery } from '@tanstack/react-query';
import { QueryState } from '../../components/query-state.tsx';
import { formatCount, formatDate, formatShare } from '../../format.ts';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';

function Counter({ name, label, used, quota }: { name: string; label: string; used: number; quota: number }) {
  return (
    <div className="card stat">
      <div className="muted">
        {label} <code>{name}</code>
      </div>
      <div className="value">
        {formatCount(used)} <span className="muted">/ {formatCount(quota)}</span>
      </div>
      <meter
        min={0}
        max={quota}
        value={Math.min(used, quota)}
        high={quota * 0.8}
        optimum={0}
        aria-label={`${label} against the quota`}
      />
      <div className="hint">{quota > 0 ? `${formatShare(used / quota)} of the plan's quota` : 'No quota'}</div>
    </div>
  );
}

/** This month's billing counters against the plan. */
export function MonthTotals() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const month = useQuery({ ...trpc.usage.month.queryOptions({ workspaceId }), staleTime: 0, refetchInterval: 60_000 });
  return (
    <QueryState query={month} label="this month's totals">
      {(m) => (
        <section aria-label="This month">
          <p className="muted">
            This month ({formatDate(m.periodStart)} to {formatDate(new Date(Date.parse(m.periodEnd) - 1))}, UTC)
          </p>
          <div className="stats">
            <Counter
              name="avatar_requests"
              label="Requests"
              used={m.avatarRequests}
              quota={m.plan.monthlyRequestQuota}
            />
            <Counter
              name="avatar_new_profiles"
              label="New profiles"
              used={m.avatarNewProfiles}
              quota={m.plan.monthlyNewProfileQuota}
            />
          </div>
        </section>
      )}
    </QueryState>
  );
}
