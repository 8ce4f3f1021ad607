import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { tokenFromFragment } from '../../navigation/fragment-token.ts';
import { Link } from '../../navigation/link.tsx';
import { navigate } from '../../navigation/location.ts';
import { useTRPC } from '../../trpc.ts';

export function SetupPage() {
  const trpc = useTRPC();
  const status = useQuery(trpc.setup.status.queryOptions());
  return (
    <main className="auth-page">
      <h1>Set up avtrz</h1>
      <QueryState query={status} label="the installation">
        {(data) =>
          data.open ? (
            <SetupForm />
          ) : (
            <div className="card">
              <p>This installation is already set up.</p>
              <Link to="/sign-in">Sign in</Link>
            </div>
          )
        }
      </QueryState>
    </main>
  );
}

function SetupForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.setup.create.mutationOptions());

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The server signs the new account in (the session cookie comes with the answer).
    await create.mutateAsync({
      operatorToken: String(form.get('operatorToken')),
      email: String(form.get('email')),
      password: String(form.get('password')),
      workspaceName: String(form.get('workspaceName')),
    });
    queryClient.clear();
    navigate('/', { replace: true });
  };

  return (
    <form className="card stack" onSubmit={(event) => void submit(event).catch(() => {})}>
      <p className="muted">
        Create the first account: it runs this installation and owns its first workspace. The operator token is in the
        link the start printed, or in <code>.data/operator-token</code>.
      </p>
      <label>
        Operator token
        <input name="operatorToken" type="password" defaultValue={tokenFromFragment()} required autoComplete="off" />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password
        <span className="hint">At least 12 characters.</span>
        <input name="password" type="password" autoComplete="new-password" minLength={12} required />
      </label>
      <label>
        Workspace name
        <input name="workspaceName" required maxLength={200} />
      </label>
      {create.isError && <ErrorText error={create.error} />}
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}
