import { type AvatarSize, avatarEndpoint, type ProfileRef, profileParameter } from './profile.ts';

export interface AvatarUrlOptions {
  /** Where the API is, e.g. `https://avatars.example.com`. */
  readonly baseUrl: string | URL;
  /** A publishable key (`pk_live_…`) for pages; leave it out when the key travels in a header. */
  readonly key?: string | undefined;
  readonly size?: AvatarSize | undefined;
}

/** The `GET /v1/avatar` URL of a profile, for an `<img src>` or a server-side fetch. */
export function avatarUrl(profile: ProfileRef, options: AvatarUrlOptions): string {
  const url = avatarEndpoint(options.baseUrl, '/v1/avatar');
  if (options.key !== undefined) url.searchParams.set('key', options.key);
  const [name, value] = profileParameter(profile);
  url.searchParams.set(name, value);
  if (options.size !== undefined) url.searchParams.set('size', String(options.size));
  return url.toString();
}
