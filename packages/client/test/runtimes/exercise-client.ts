import { AvtrzError, avatarUrl, createAvtrzClient, signAvatarUrl } from '../../src/index.ts';

// What the runtime test asks of @avtrz/client in each runtime (Node in the test itself, then Deno and Bun): the same
// calls against the same running API, answered as plain JSON so the runs can be compared. Only the package's own
// imports and web APIs: this file runs unchanged under all three.

export interface ExerciseInput {
  readonly baseUrl: string;
  readonly secretKey: string;
  readonly publishableKey: string;
  readonly signingSecret: string;
  /** A host on the publishable key's allowed domains, sent as the Referer. */
  readonly allowedHost: string;
}

export async function exerciseClient(input: ExerciseInput) {
  const { baseUrl, secretKey, publishableKey, signingSecret, allowedHost } = input;
  const plain = avatarUrl('alex-rivera', { baseUrl, key: publishableKey, size: 64 });
  const fromPage = await fetch(plain, { redirect: 'manual', headers: { referer: `https://${allowedHost}/team` } });
  const withoutReferer = await fetch(plain, { redirect: 'manual' });
  // A fixed expiry (2100-01-01), so that every runtime signs the same URL.
  const signed = await signAvatarUrl(plain, signingSecret, { expiresAt: 4_102_444_800 });
  const fromEmail = await fetch(signed, { redirect: 'manual' });
  const client = createAvtrzClient({ baseUrl, key: secretKey });
  const lookup = await client.lookup('alex-rivera', { size: 128 });
  const batch = await client.batch(['alex-rivera', 'https://www.linkedin.com/in/no-photo-person', 'not a handle!']);
  const refused = await createAvtrzClient({ baseUrl, key: publishableKey })
    .batch(['alex-rivera'])
    .then(
      () => null,
      (error: unknown) => ({
        isAvtrzError: error instanceof AvtrzError,
        name: (error as Error).name,
        code: (error as AvtrzError).code,
        status: (error as AvtrzError).status,
      }),
    );
  return {
    page: { status: fromPage.status, location: fromPage.headers.get('location') },
    withoutReferer: withoutReferer.status,
    signed: {
      url: signed,
      status: fromEmail.status,
      location: fromEmail.headers.get('location'),
    },
    lookup,
    batch: batch.results,
    refused,
  };
}
