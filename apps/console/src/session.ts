import { useQuery } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useTRPC } from './trpc.ts';

/** Who is signed in and in which workspaces (one query, shared by the shell and the pages). */
export function useSession() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.session.me.queryOptions(), staleTime: 60_000 });
}

export function isSignedOut(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';
}
