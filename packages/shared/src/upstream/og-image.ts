import { Parser } from 'htmlparser2';

/**
 * The first `og:image` of an HTML page, with HTML entities decoded, whatever the attribute order,
 * quoting or case. Reading stops at the end of <head>, where Open Graph tags live.
 */
export function readOgImage(html: string): string | undefined {
  let found: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (found !== undefined || name !== 'meta') return;
        const key = (attributes.property ?? attributes.name ?? '').trim().toLowerCase();
        const content = attributes.content?.trim();
        if (key === 'og:image' && content) found = content;
      },
      onclosetag(name) {
        if (name === 'head') parser.pause();
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return found;
}
