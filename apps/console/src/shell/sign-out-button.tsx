import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { authClient } from '../auth-client.ts';
import { navigate } from '../navigation/location.ts';

export function SignOutButton() {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const signOut = async () => {
    setPending(true);
    // Ends the session on the server, then forgets everything this person could see.
    await authClient.signOut();
    queryClient.clear();
    navigate('/sign-in', { replace: true });
  };
  return (
    <button type="button" onClick={signOut} disabled={pending}>
      Sign out
    </button>
  );
}
