/**
 * Where a profile's photo URL comes from. The resolution task depends only on this interface, so a
 * second source (a data provider's API, a manual override) plugs in without touching the task.
 */
export type PhotoLookup =
  /** The profile has a photo at this URL, on an allowed host. */
  | { readonly kind: 'photo'; readonly url: string }
  /** The profile does not exist, or has no photo we may use. */
  | { readonly kind: 'no_photo'; readonly reason: NoPhotoReason }
  /** The source could not tell now (anti-bot answer, outage, hostile answer): ask again later. */
  | { readonly kind: 'retry_later'; readonly reason: string };

export type NoPhotoReason = 'not_found' | 'no_og_image' | 'host_not_allowed';

export interface ProfilePhotoSource {
  readonly name: string;
  lookup(handle: string, signal?: AbortSignal): Promise<PhotoLookup>;
}
