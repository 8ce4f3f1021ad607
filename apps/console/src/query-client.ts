import { QueryCache, QueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { isSignedOut } from './session.ts';

/** An answer the server gave on purpose (4xx): asking again would get the same one. */
function isFinalAnswer(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 0;
  return status >= 400 && status < 500;
}

/**
 * `onSessionEnded` runs when a page's data is refused for want of a session (it expired, or was ended
 * elsewhere). The session query itself is left to the shell, which also knows about first-run setup.
 */
export function createQueryClient(onSessionEnded: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        const [path] = query.queryKey as [unknown[] | undefined];
        if (isSignedOut(error) && path?.[0] !== 'session') onSessionEnded();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => !isFinalAnswer(error) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
