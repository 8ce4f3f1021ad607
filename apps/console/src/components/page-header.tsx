import type { ReactNode } from 'react';

/** A page's heading (focused after navigation, hence tabIndex) and its main actions. */
export function PageHeader({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="toolbar">
      <h1 tabIndex={-1}>{title}</h1>
      {children && <div className="row">{children}</div>}
    </div>
  );
}
