import { TRPCClientError } from '@trpc/client';

/** What went wrong, in words people can act on; the server's message for expected errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

export function ErrorText({ error }: { readonly error: unknown }) {
  return (
    <p role="alert" className="error">
      {errorMessage(error)}
    </p>
  );
}
