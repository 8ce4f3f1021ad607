import { formatDateTime, formatRelativeTime } from '../../format.ts';
import { type KeyView, keyState, maskedKey } from './key-view.ts';

interface KeysTableProps {
  readonly keys: readonly KeyView[];
  readonly onEdit: (key: KeyView) => void;
  readonly onRoll: (key: KeyView) => void;
  readonly onRevoke: (key: KeyView) => void;
  readonly onSigningSecrets: (key: KeyView) => void;
}

function StateBadge({ apiKey }: { readonly apiKey: KeyView }) {
  const state = keyState(apiKey);
  if (state.kind === 'active') return <span className="badge ok">Active</span>;
  if (state.kind === 'expiring') {
    return (
      <span className="badge accent" title={formatDateTime(state.at)}>
        Stops {formatRelativeTime(state.at)}
      </span>
    );
  }
  return (
    <span className="badge bad" title={formatDateTime(state.at)}>
      Revoked
    </span>
  );
}

export function KeysTable({ keys, onEdit, onRoll, onRevoke, onSigningSecrets }: KeysTableProps) {
  return (
    <div className="table-wrap">
      <table className="stacked">
        <caption className="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Key</th>
            <th scope="col">Allowed domains</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const revoked = keyState(key).kind === 'revoked';
            const label = key.name ?? maskedKey(key);
            return (
              <tr key={key.id}>
                <td data-label="Name">{key.name ?? <span className="muted">Unnamed</span>}</td>
                <td data-label="Type">{key.type === 'publishable' ? 'Publishable' : 'Secret'}</td>
                <td data-label="Key">
                  <code>{maskedKey(key)}</code>
                </td>
                <td data-label="Allowed domains">
                  {key.allowedDomains.length ? (
                    <span className="domains">
                      {key.allowedDomains.map((d) => (
                        <span key={d} className="badge">
                          {d}
                        </span>
                      ))}
                    </span>
                  ) : (
                    <span className="muted">{key.type === 'publishable' ? 'None: works from no page' : 'Any'}</span>
                  )}
                </td>
                <td data-label="Created" title={formatDateTime(key.createdAt)}>
                  {formatRelativeTime(key.createdAt)}
                </td>
                <td data-label="Last used" title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}>
                  {key.lastUsedAt ? formatRelativeTime(key.lastUsedAt) : <span className="muted">Never</span>}
                </td>
                <td data-label="State">
                  <StateBadge apiKey={key} />
                </td>
                <td data-label="Actions">
                  {!revoked && (
                    <div className="row">
                      <button type="button" className="small" aria-label={`Edit ${label}`} onClick={() => onEdit(key)}>
                        Edit
                      </button>
                      <button type="button" className="small" aria-label={`Roll ${label}`} onClick={() => onRoll(key)}>
                        Roll
                      </button>
                      <button
                        type="button"
                        className="small"
                        aria-label={`Revoke ${label}`}
                        onClick={() => onRevoke(key)}
                      >
                        Revoke
                      </button>
                      {key.type === 'publishable' && (
                        <button
                          type="button"
                          className="small"
                          aria-label={`Signing secrets of ${label}`}
                          onClick={() => onSigningSecrets(key)}
                        >
                          Signing secrets
                        </button>
                      )}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
