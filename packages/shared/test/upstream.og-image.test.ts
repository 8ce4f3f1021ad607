import { expect, test } from 'vitest';
import { readOgImage } from '../src/upstream/og-image.ts';

const url = 'https://media.licdn.com/dms/image/v2/D4E03AQ/profile-displayphoto-shrink_800_800/0/1?e=1&v=beta&t=x';

test.each([
  ['double quotes, entities', `<meta property="og:image" content="${url.replaceAll('&', '&amp;')}">`],
  ['reversed attributes, single quotes', `<meta content='${url.replaceAll('&', '&amp;')}' property='og:image' />`],
  ['unquoted, upper case', `<META PROPERTY=og:image CONTENT=${url.replaceAll('&', '&#38;')}>`],
  ['name instead of property, hex entities', `<meta name="og:image" content="${url.replaceAll('/', '&#x2F;')}">`],
])('%s', (_name, tag) => {
  expect(readOgImage(`<!doctype html><html><head><title>x</title>${tag}</head><body></body></html>`)).toBe(url);
});

test('the first og:image wins; tags after <head> and other properties are ignored', () => {
  const html = `<head><meta property="og:image:width" content="800"><meta property="og:image" content="https://a.test/1">
    <meta property="og:image" content="https://a.test/2"></head><body><meta property="og:image" content="https://a.test/3"></body>`;
  expect(readOgImage(html)).toBe('https://a.test/1');
  expect(
    readOgImage('<head></head><body><meta property="og:image" content="https://a.test/3"></body>'),
  ).toBeUndefined();
});

test('a page without og:image, or with an empty one, has none', () => {
  expect(readOgImage('<html><head><meta property="og:image" content="  "></head></html>')).toBeUndefined();
  expect(readOgImage('not html at all')).toBeUndefined();
});
