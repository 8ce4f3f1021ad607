import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorText } from './error-text.tsx';

/** Loading, error or the data: every page shows the first two the same way. */
export function QueryState<T, E>({
  query,
  label,
  children,
}: {
  readonly query: UseQueryResult<T, E>;
  /** What is loading, e.g. "keys". */
  readonly label: string;
  readonly children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        Loading {label}…
      </p>
    );
  }
  if (query.isError) {
    return (
      <div>
        <ErrorText error={query.error} />
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}

export function EmptyState({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="card empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}
