import { publicApiUrlFor } from '@avtrz/shared/config';
import { publicProcedure, router } from '../trpc.ts';

export const configRouter = router({
  /** What the console shows anyone: the API URL its snippets call. */
  public: publicProcedure.query(({ ctx }) => ({ publicApiUrl: publicApiUrlFor(ctx.config) })),
});
