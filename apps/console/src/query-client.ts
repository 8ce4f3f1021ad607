import { QueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';

/** An answer the server gave on purpose (4xx): asking again would get the same one. */
function isFinalAnswer(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 0;
  return status >= 400 && status < 500;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => !isFinalAnswer(error) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
