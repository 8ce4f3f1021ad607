/** The square sizes /v1/avatar serves (CONTRACT §1), smallest first; one rendition of each is stored. */
export const AVATAR_SIZES = [32, 64, 128, 256, 512] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/** The size answered when the request names none. */
export const DEFAULT_AVATAR_SIZE: AvatarSize = 128;

/** The `size` parameter as a served size, or undefined for anything else (`0128`, `128.0`, `+128`…). */
export function parseAvatarSize(input: string): AvatarSize | undefined {
  switch (input) {
    case '32':
      return 32;
    case '64':
      return 64;
    case '128':
      return 128;
    case '256':
      return 256;
    case '512':
      return 512;
    default:
      return undefined;
  }
}
