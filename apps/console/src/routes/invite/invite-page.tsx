import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { authClient } from '../../auth-client.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDateTime } from '../../format.ts';
import { Link } from '../../navigation/link.tsx';
import { navigate } from '../../navigation/location.ts';
import { workspacePath } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';

/** An invitation link: set a password (new people) or join with the account one has. */
export function InvitePage({ token }: { readonly token: string }) {
  const trpc = useTRPC();
  const invitation = useQuery(trpc.invitations.describe.queryOptions({ token }));
  return (
    <main className="auth-page">
      <h1>Join a workspace</h1>
      <QueryState query={invitation} label="the invitation">
        {(data) => <AcceptForm token={token} invitation={data} />}
      </QueryState>
    </main>
  );
}

interface InvitationFacts {
  readonly email: string;
  readonly role: string;
  readonly workspaceName: string;
  readonly expiresAt: string;
  readonly accountExists: boolean;
}

function AcceptForm({ token, invitation }: { readonly token: string; readonly invitation: InvitationFacts }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accept = useMutation(trpc.invitations.accept.mutationOptions());
  const [signInError, setSignInError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (invitation.accountExists) {
      // Joining with an existing account: sign in first, the acceptance then runs as that person.
      const signedIn = await authClient.signIn.email({ email: invitation.email, password });
      if (signedIn.error) {
        setSignInError(signedIn.error.message ?? 'Sign-in failed.');
        return;
      }
      const joined = await accept.mutateAsync({ token });
      queryClient.clear();
      navigate(workspacePath(joined.workspaceId, 'keys'), { replace: true });
      return;
    }
    // A new account: the server creates it and signs it in.
    const joined = await accept.mutateAsync({ token, password, name: String(form.get('name')) || undefined });
    queryClient.clear();
    navigate(workspacePath(joined.workspaceId, 'keys'), { replace: true });
  };

  return (
    <form className="card stack" onSubmit={(event) => void submit(event).catch(() => {})}>
      <dl className="facts">
        <dt>Workspace</dt>
        <dd>{invitation.workspaceName}</dd>
        <dt>Email</dt>
        <dd>{invitation.email}</dd>
        <dt>Role</dt>
        <dd>{invitation.role}</dd>
        <dt>Expires</dt>
        <dd>{formatDateTime(invitation.expiresAt)}</dd>
      </dl>
      {!invitation.accountExists && (
        <label>
          Name
          <input name="name" autoComplete="name" maxLength={200} />
        </label>
      )}
      <label>
        Password
        {!invitation.accountExists && <span className="hint">At least 12 characters.</span>}
        <input
          name="password"
          type="password"
          required
          minLength={invitation.accountExists ? undefined : 12}
          autoComplete={invitation.accountExists ? 'current-password' : 'new-password'}
        />
      </label>
      {accept.isError && <ErrorText error={accept.error} />}
      {signInError && (
        <p role="alert" className="error">
          {signInError}
        </p>
      )}
      <button type="submit" className="primary" disabled={accept.isPending}>
        {invitation.accountExists ? 'Sign in and join' : 'Create account and join'}
      </button>
      <p className="hint">
        Wrong person? <Link to="/sign-in">Sign in</Link> with another account.
      </p>
    </form>
  );
}
