import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { authClient } from '../../auth-client.ts';
import { navigate } from '../../navigation/location.ts';

export function SignInPage() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await authClient.signIn.email({
      email: String(form.get('email')),
      password: String(form.get('password')),
    });
    setPending(false);
    if (result.error) {
      setError(
        result.error.status === 429
          ? 'Too many attempts. Wait a little, then try again.'
          : (result.error.message ?? 'Sign-in failed.'),
      );
      return;
    }
    // Everything cached belonged to nobody; start from the signed-in state.
    queryClient.clear();
    navigate('/', { replace: true });
  };

  return (
    <main className="auth-page">
      <h1>Sign in to avtrz</h1>
      <form className="card stack" onSubmit={submit}>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
