import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiReferenceLink } from '../../components/api-reference-link.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { Link } from '../../navigation/link.tsx';
import { useWorkspaceId, workspacePath } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { keyLabel, keyState, maskedKey } from '../keys/key-view.ts';
import { quickstartSnippets, SECRET_ENV_VAR } from './snippets.ts';

export function QuickstartPage() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const settings = useQuery(trpc.config.public.queryOptions());
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ workspaceId, includeRevoked: false }));
  const [chosen, setChosen] = useState<string | null>(null);
  // Pasted by the person, kept only here: the console cannot show a key again after creating it.
  const [pasted, setPasted] = useState('');
  const selectId = useId();

  return (
    <>
      <PageHeader title="Quickstart" />
      <QueryState query={settings} label="settings">
        {({ publicApiUrl }) => (
          <QueryState query={keys} label="keys">
            {(list) => {
              const publishable = list.filter((k) => k.type === 'publishable' && keyState(k).kind !== 'revoked');
              const selected = publishable.find((k) => k.id === chosen) ?? publishable[0];
              const fullKey = selected && pasted.startsWith(selected.prefix) && pasted.endsWith(selected.last4);
              const keyText = selected ? (fullKey ? pasted.trim() : maskedKey(selected)) : 'pk_live_…';
              return (
                <>
                  <p>
                    Avatars come from <code>{publicApiUrl}/v1/avatar</code>. Publishable keys go in pages; server code
                    reads a secret key from the environment variable <code>{SECRET_ENV_VAR}</code>. Every parameter,
                    status and error code is in the <ApiReferenceLink publicApiUrl={publicApiUrl} />.
                  </p>
                  {selected ? (
                    <div className="card stack">
                      <div className="field">
                        <label htmlFor={selectId}>Publishable key</label>
                        <select
                          id={selectId}
                          value={selected.id}
                          onChange={(e) => {
                            setChosen(e.target.value);
                            setPasted('');
                          }}
                        >
                          {publishable.map((k) => (
                            <option key={k.id} value={k.id}>
                              {keyLabel(k)}
                            </option>
                          ))}
                        </select>
                      </div>
                      <label>
                        Full key
                        <span className="hint">
                          Paste the key you copied when you created it ({maskedKey(selected)}) to fill it into the
                          snippets. Allowed domains: {selected.allowedDomains.join(', ') || 'none yet'}.
                        </span>
                        <input
                          value={pasted}
                          onChange={(e) => setPasted(e.target.value)}
                          autoComplete="off"
                          spellCheck={false}
                        />
                      </label>
                    </div>
                  ) : (
                    <p className="warning">
                      No publishable key yet. <Link to={workspacePath(workspaceId, 'keys')}>Create one</Link> with your
                      site&apos;s domain, then come back.
                    </p>
                  )}
                  {quickstartSnippets({ apiUrl: publicApiUrl, publishableKey: keyText }).map((snippet) => (
                    <section key={snippet.id} className="snippet" aria-labelledby={`snippet-${snippet.id}`}>
                      <div className="snippet-head">
                        <h2 id={`snippet-${snippet.id}`}>
                          {snippet.title}
                          {snippet.file && <span className="hint"> · {snippet.file}</span>}
                        </h2>

                        <CopyButton text={snippet.text} label={`Copy ${snippet.title}`} />
                      </div>
                      <pre tabIndex={0}>
                        <code>{snippet.text}</code>
                      </pre>
                      {snippet.source && (
                        <p className="hint">
                          <code>{snippet.source}</code> from the avtrz repository, run as written by its tests; here
                          with this installation&apos;s API URL.
                        </p>
                      )}
                    </section>
                  ))}
                </>
              );
            }}
          </QueryState>
        )}
      </QueryState>
    </>
  );
}
