/**
 * RFC 9110 §13.1.2: whether an `If-None-Match` header matches a strong entity tag (weak comparison:
 * `W/"x"` matches `"x"`). `*` matches any current representation; a list matches when any member does.
 */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  // The fast, common case: a browser or CDN echoing exactly the tag it was given.
  if (header === etag) return true;
  const text = header.trim();
  if (text === '*') return true;
  let i = 0;
  while (i < text.length) {
    // Skip separators and whitespace between members.
    while (i < text.length && (text[i] === ',' || text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) break;
    let start = i;
    if (text.startsWith('W/', i)) start = i += 2;
    if (text[i] !== '"') return false;
    const end = text.indexOf('"', i + 1);
    if (end === -1) return false;
    if (text.slice(start, end + 1) === etag) return true;
    i = end + 1;
  }
  return false;
}
