/**
 * The type of an image judged from its first bytes, never from Content-Type. Only the raster formats
 * we accept as source photos are recognised; SVG, HTML and everything else is undefined.
 */
export type SourceImageType = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';

export function sniffImageType(bytes: Uint8Array): SourceImageType | undefined {
  const at = (offset: number, ascii: string) =>
    bytes.length >= offset + ascii.length && [...ascii].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b))
    return 'png';
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return 'gif';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'webp';
  // ISO-BMFF: [size]['ftyp'][major brand]…[compatible brands]
  if (at(4, 'ftyp')) {
    const boxSize = Math.min(
      ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0,
      bytes.length,
      256,
    );
    for (let offset = 8; offset + 4 <= boxSize; offset += 4) {
      if (offset === 12) continue; // minor version, not a brand
      if (at(offset, 'avif') || at(offset, 'avis')) return 'avif';
    }
  }
  return undefined;
}
