/**
 * Whether a request comes from an image element, so that errors are answered with an image and never
 * break a page (CONTRACT §1): `Sec-Fetch-Dest: image`, or an `Accept` asking for an image and not for
 * JSON (`*` and `image/*` ranges with q=0 count as not asked for).
 */
export function isImageCaller(secFetchDest: string | null, accept: string | null): boolean {
  if (secFetchDest !== null && secFetchDest.trim().toLowerCase() === 'image') return true;
  if (accept === null || !accept.includes('image/')) return false;
  let image = false;
  for (const range of accept.toLowerCase().split(',')) {
    const [type = '', ...params] = range.split(';');
    const mediaType = type.trim();
    if (params.some((p) => /^\s*q\s*=\s*0(\.0{0,3})?\s*$/.test(p))) continue;
    if (mediaType === 'application/json' || mediaType === 'application/*' || mediaType.endsWith('+json')) return false;
    if (mediaType.startsWith('image/')) image = true;
  }
  return image;
}
