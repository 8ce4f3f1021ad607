import type { AppRouter } from '@avtrz/admin-graphql/trpc';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

type TrpcReact = ReturnType<typeof createTRPCContext<AppRouter>>;
const trpcReact: TrpcReact = createTRPCContext<AppRouter>();

/** The one typed client of the admin server's router; every page reaches server data through it. */
export const TRPCProvider: TrpcReact['TRPCProvider'] = trpcReact.TRPCProvider;
export const useTRPC: TrpcReact['useTRPC'] = trpcReact.useTRPC;

export function createApiClient(): TRPCClient<AppRouter> {
  // Same origin: the session cookie travels by itself and the server's Origin check sees its own origin.
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: '/trpc' })] });
}
