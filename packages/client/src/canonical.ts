/**
 * The string a signed avatar URL's `sig` is computed over (CONTRACT §8): the path, `?`, then every
 * query parameter but `sig` sorted by name (then value) and joined as `name=value` with `&`, names
 * and values percent-encoded as `encodeURIComponent` does. The API verifies with this same function.
 */
export const SIGNATURE_PARAMETER = 'sig';
export const EXPIRY_PARAMETER = 'exp';

export function canonicalSigningString(path: string, params: Iterable<readonly [string, string]>): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of params) if (name !== SIGNATURE_PARAMETER) pairs.push([name, value]);
  // Code-unit order, as Array.prototype.sort compares strings: the same on every platform.
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  let text = `${path}?`;
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i] as [string, string];
    text += `${i === 0 ? '' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  }
  return text;
}
