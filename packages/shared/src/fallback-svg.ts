/**
 * The deterministic SVG answered when there is no photo (CONTRACT §1): a pure function of
 * (canonical handle, size). Same input, byte-identical output on any machine: only integer
 * arithmetic, a fixed palette, and a generic font-family stack (never a font file).
 */

export interface PaletteEntry {
  readonly background: string;
  readonly text: string;
}

/** Backgrounds with the text colour drawn on them; every pair has a WCAG contrast ratio of at least 4.5. */
export const FALLBACK_PALETTE: readonly PaletteEntry[] = Object.freeze(
  [
    '#b91c1c',
    '#c2410c',
    '#a16207',
    '#15803d',
    '#047857',
    '#0f766e',
    '#0e7490',
    '#0369a1',
    '#1d4ed8',
    '#4338ca',
    '#6d28d9',
    '#7e22ce',
    '#a21caf',
    '#be185d',
    '#be123c',
    '#334155',
  ].map((background) => Object.freeze({ background, text: '#ffffff' })),
);

/** The neutral colours of the silhouette shown when no valid profile was named. */
export const SILHOUETTE_COLOURS = Object.freeze({ background: '#e5e7eb', figure: '#9ca3af' });

const FONT_FAMILY =
  'system-ui, -apple-system, &quot;Segoe UI&quot;, Roboto, &quot;Helvetica Neue&quot;, Arial, sans-serif';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/**
 * Initials from the handle: the first character (grapheme) of each of the first two parts separated
 * by `-` or `_`, upper-cased. `josé-garcía` → `JG`, `alex` → `A`; a handle without any part → ``.
 */
export function initialsOf(handle: string): string {
  let out = '';
  let taken = 0;
  for (const part of handle.split(/[-_]+/)) {
    if (!part) continue;
    const first = graphemes.segment(part)[Symbol.iterator]().next().value?.segment ?? '';
    out += first.toUpperCase();
    if (++taken === 2) break;
  }
  return out.normalize('NFC');
}

/** 32-bit FNV-1a over the UTF-8 bytes: stable across machines and runtimes. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function paletteEntryFor(handle: string): PaletteEntry {
  return FALLBACK_PALETTE[fnv1a32(handle) % FALLBACK_PALETTE.length] as PaletteEntry;
}

/** The fallback for a profile: its initials on a colour picked from the hash of the canonical handle. */
export function renderFallbackSvg(handle: string, size: number): string {
  const colours = paletteEntryFor(handle);
  const initials = initialsOf(handle);
  const label = escapeXml(`Avatar placeholder for ${handle}`);
  const open = svgOpen(size, label);
  const background = `<rect width="${size}" height="${size}" fill="${colours.background}"/>`;
  if (!initials) return `${open}${background}${figure(size, colours.text)}</svg>`;
  // Two letters need a little more room than one; integer sizes keep the output byte-stable.
  const fontSize = Math.round((size * (initials.length > 1 ? 40 : 46)) / 100);
  const half = size / 2;
  const text =
    `<text x="${half}" y="${half}" dy="0.35em" fill="${colours.text}" font-family="${FONT_FAMILY}" ` +
    `font-size="${fontSize}" font-weight="600" text-anchor="middle" aria-hidden="true">${escapeXml(initials)}</text>`;
  return `${open}${background}${text}</svg>`;
}

/** The neutral silhouette answered when the request named no valid profile. */
export function renderSilhouetteSvg(size: number): string {
  const background = `<rect width="${size}" height="${size}" fill="${SILHOUETTE_COLOURS.background}"/>`;
  return `${svgOpen(size, 'Avatar placeholder')}${background}${figure(size, SILHOUETTE_COLOURS.figure)}</svg>`;
}

function svgOpen(size: number, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" ` +
    `role="img" aria-label="${label}">`
  );
}

/** Head and shoulders, drawn in a 100×100 box scaled to the size. */
function figure(size: number, fill: string): string {
  const scale = size / 100;
  return (
    `<g transform="scale(${scale})" fill="${fill}" aria-hidden="true">` +
    '<circle cx="50" cy="38" r="18"/>' +
    '<path d="M18 88c0-17.7 14.3-30 32-30s32 12.3 32 30v12H18z"/>' +
    '</g>'
  );
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);
}
