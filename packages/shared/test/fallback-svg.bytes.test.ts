import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { AVATAR_SIZES } from '../src/avatar-sizes.ts';
import {
  FALLBACK_PALETTE,
  escapeXml,
  fnv1a32,
  initialsOf,
  paletteEntryFor,
  renderFallbackSvg,
  renderSilhouetteSvg,
} from '../src/fallback-svg.ts';
import { canonicalHandle } from '../src/linkedin-handle.ts';

// Canonical handles of every kind a page may name: scripts, marks, digits, separators only.
const HANDLES = [
  'alex-rivera',
  'josé-garcía',
  'alex',
  'o_brien-12345678',
  'élodie_martin',
  '李小龙',
  'क्षमा-सिंह',
  'ömer-çelik',
  '___',
  '123-456',
];

describe('the fallback SVG is pinned byte for byte', () => {
  for (const handle of HANDLES) {
    test.each(AVATAR_SIZES)(`${handle} at %i`, (size) => {
      expect(renderFallbackSvg(handle, size)).toMatchSnapshot();
    });
  }
  test.each(AVATAR_SIZES)('the silhouette at %i', (size) => {
    expect(renderSilhouetteSvg(size)).toMatchSnapshot();
  });

  test('another process renders the same bytes', () => {
    const module = fileURLToPath(new URL('../src/fallback-svg.ts', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then((m) => process.stdout.write(${JSON.stringify(HANDLES)}.map((h) => m.renderFallbackSvg(h, 64)).join('\\n')))`;
    const other = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(other).toBe(HANDLES.map((h) => renderFallbackSvg(h, 64)).join('\n'));
  });
});

describe('initials', () => {
  test.each([
    ['josé-garcía', 'JG'],
    ['alex-rivera', 'AR'],
    ['alex', 'A'],
    ['o_brien-12345678', 'OB'],
    ['élodie_martin', 'ÉM'],
    ['ömer-çelik', 'ÖÇ'],
    ['李小龙', '李'],
    ['123-456', '14'],
    ['___', ''],
    ['-_-alex', 'A'],
  ])('%s → %s', (handle, initials) => {
    expect(initialsOf(handle)).toBe(initials);
  });

  test('a letter with its combining marks is one initial (grapheme-aware)', () => {
    // "e" + COMBINING ACUTE + COMBINING DOT BELOW has no single precomposed form: three code points, one letter.
    const handle = canonicalHandle('e\u0301\u0323va-nguyen');
    expect(handle).toBeDefined();
    expect(initialsOf(handle as string)).toBe('\u1EB8\u0301N');
    // Indic conjuncts and vowel signs stay with their letter.
    expect([...initialsOf('क्षमा-सिंह')].length).toBeGreaterThan(2);
    expect(initialsOf('क्षमा-सिंह')).toBe('क्षसिं');
  });

  test('the same profile written differently gets the same image', () => {
    const a = canonicalHandle('Jose\u0301-Garci\u0301a');
    const b = canonicalHandle('josé-garcía');
    expect(a).toBe(b);
    expect(renderFallbackSvg(a as string, 128)).toBe(renderFallbackSvg(b as string, 128));
  });
});

describe('what the SVG says', () => {
  test.each(AVATAR_SIZES)('width, height and viewBox are the size (%i), with role and label', (size) => {
    const svg = renderFallbackSvg('josé-garcía', size);
    expect(svg).toContain(`width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"`);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Avatar placeholder for josé-garcía"');
    expect(svg).toContain('>JG</text>');
  });

  test.each(AVATAR_SIZES)('a real renderer draws it at %i × %i', async (size) => {
    for (const svg of [renderFallbackSvg('josé-garcía', size), renderSilhouetteSvg(size)]) {
      const meta = await sharp(Buffer.from(svg)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['svg', size, size]);
      const png = await sharp(Buffer.from(svg)).png().toBuffer();
      expect((await sharp(png).metadata()).width).toBe(size);
    }
  });

  test('nothing is written unescaped, even from a caller that skipped validation', () => {
    const svg = renderFallbackSvg(`<script>alert("x")</script>&'`, 64);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;');
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });

  test('the background comes from the hash of the handle, spread over the palette', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    const used = new Set(Array.from({ length: 400 }, (_, i) => paletteEntryFor(`person-${i}`).background));
    expect(used.size).toBe(FALLBACK_PALETTE.length);
    expect(renderFallbackSvg('alex-rivera', 64)).toContain(`fill="${paletteEntryFor('alex-rivera').background}"`);
  });

  test.each(FALLBACK_PALETTE.map((entry) => [entry.background, entry.text]))(
    'text on %s has a WCAG contrast of at least 4.5',
    (background, text) => {
      expect(contrastRatio(background, text)).toBeGreaterThanOrEqual(4.5);
    },
  );

  test('the pinned set as a whole has not moved', () => {
    const all = HANDLES.flatMap((h) => AVATAR_SIZES.map((s) => renderFallbackSvg(h, s))).join('\n');
    expect(createHash('sha256').update(all).digest('hex')).toMatchSnapshot();
  });
});

function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
