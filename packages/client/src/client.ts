import { avatarUrl as buildAvatarUrl, type AvatarUrlOptions } from './avatar-url.ts';
import { errorFromResponse } from './errors.ts';
import { type AvatarSize, avatarEndpoint, type ProfileRef, profileParameter } from './profile.ts';

/** The `format=json` answer of `GET /v1/avatar`. */
export interface AvatarLookup {
  readonly username: string;
  readonly status: 'resolved' | 'no_photo' | 'pending' | 'failed';
  readonly size: AvatarSize;
  /** The photo on the CDN at the size; null when there is none (yet). */
  readonly url: string | null;
  readonly etag: string | null;
}

/** One entry of a `POST /v1/avatars` answer, in the order the profiles were given. */
export interface BatchResult {
  readonly input: string;
  readonly username: string | null;
  readonly status: AvatarLookup['status'] | 'invalid' | 'quota_exceeded';
  readonly url: string | null;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface AvtrzClientOptions {
  /** Where the API is, e.g. `https://avatars.example.com`. */
  readonly baseUrl: string | URL;
  /** The API key: a secret key is sent in the `x-api-key` header, a publishable one as `key` in the URL. `batch()` needs a secret key. */
  readonly key: string;
  /** Another fetch (a test double, a proxy-aware one); the global fetch by default. */
  readonly fetch?: typeof fetch | undefined;
}

export interface AvtrzClient {
  /** The decision for one profile as JSON (billed as one request). Throws an `AvtrzError` on an error answer. */
  lookup(profile: ProfileRef, options?: { size?: AvatarSize }): Promise<AvatarLookup>;
  /**
   * Up to 100 profiles in one call (secret keys). Unknown profiles are queued for resolution and
   * waited for up to `waitMs` (0–5000, default 0); bad entries come back with status `invalid`.
   */
  batch(
    profiles: readonly string[],
    options?: { size?: AvatarSize; waitMs?: number },
  ): Promise<{ results: BatchResult[] }>;
  /** The image URL of a profile (for `<img src>` with a publishable key, or a fetch with this client's key). */
  avatarUrl(profile: ProfileRef, options?: Omit<AvatarUrlOptions, 'baseUrl'>): string;
}

export function createAvtrzClient(options: AvtrzClientOptions): AvtrzClient {
  const send = options.fetch ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, init));
  // A publishable key goes in the query, as in an <img>: a browser then sends a simple request, with no
  // CORS preflight. A secret key (servers only) goes in the header, out of URLs and logs.
  const publishable = options.key.startsWith('pk_');
  const headers: Record<string, string> = publishable
    ? { accept: 'application/json' }
    : { 'x-api-key': options.key, accept: 'application/json' };

  async function json<T>(response: Response): Promise<T> {
    if (!response.ok) throw await errorFromResponse(response);
    return (await response.json()) as T;
  }

  return {
    async lookup(profile, lookupOptions = {}) {
      const url = avatarEndpoint(options.baseUrl, '/v1/avatar');
      if (publishable) url.searchParams.set('key', options.key);
      const [name, value] = profileParameter(profile);
      url.searchParams.set(name, value);
      if (lookupOptions.size !== undefined) url.searchParams.set('size', String(lookupOptions.size));
      url.searchParams.set('format', 'json');
      return json<AvatarLookup>(await send(url, { headers }));
    },
    async batch(profiles, batchOptions = {}) {
      const response = await send(avatarEndpoint(options.baseUrl, '/v1/avatars'), {
        method: 'POST',
        // Batches are for servers: the key always travels in the header.
        headers: { 'x-api-key': options.key, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({
          profiles,
          ...(batchOptions.size !== undefined && { size: batchOptions.size }),
          ...(batchOptions.waitMs !== undefined && { wait_ms: batchOptions.waitMs }),
        }),
      });
      return json<{ results: BatchResult[] }>(response);
    },
    avatarUrl: (profile, urlOptions = {}) => buildAvatarUrl(profile, { ...urlOptions, baseUrl: options.baseUrl }),
  };
}
