import { createHash } from 'node:crypto';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AVATAR_SIZES, type AvatarSize } from '../avatar-sizes.ts';
import { sniffImageType } from './sniff-image-type.ts';

/** The square sizes every photo is rendered at: the sizes /v1/avatar serves. */
export const VARIANT_SIZES = AVATAR_SIZES;
export type VariantSize = AvatarSize;

export interface RenderedVariant {
  readonly size: VariantSize;
  readonly bytes: Uint8Array;
  /** SHA-256 of the bytes; the storage key and so the public URL derive from it. */
  readonly contentHash: string;
  readonly storageKey: string;
  readonly contentType: 'image/webp' | 'image/png';
}

export interface RenderedImage {
  /** SHA-256 of the source bytes: one photo, one image, however many profiles use it. */
  readonly sourceHash: string;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly format: 'webp' | 'png';
  readonly variants: readonly RenderedVariant[];
}

export type ImageRejection = 'unsupported_type' | 'too_many_pixels' | 'undecodable';

export class ImageRejectedError extends Error {
  override name = 'ImageRejectedError';
  readonly reason: ImageRejection;
  constructor(reason: ImageRejection, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif']);

/**
 * Renders a source photo as 32–512 px squares. The square is chosen once, at 512 px, with sharp's
 * attention strategy (it follows skin tones, saturation and detail, so an off-centre face stays in
 * frame), and every size is scaled down from it, so all sizes show the same crop.
 *
 * Format: WEBP, except PNG when the photo really has transparency (an alpha channel with any pixel
 * not fully opaque), where lossless edges matter more than size. Metadata (EXIF, GPS, ICC) is never
 * copied; pixels are converted to sRGB. The decoder refuses images over `maxPixels`.
 */
export async function renderVariants(
  source: Uint8Array,
  options: { readonly maxPixels: number },
): Promise<RenderedImage> {
  if (!sniffImageType(source))
    throw new ImageRejectedError('unsupported_type', 'not a JPEG, PNG, WEBP, GIF or AVIF image');
  const input = { limitInputPixels: options.maxPixels, failOn: 'error', animated: false } as const;
  let meta: Metadata;
  try {
    meta = await sharp(source, input).metadata();
  } catch (error) {
    throw rejection(error);
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
    throw new ImageRejectedError('unsupported_type', `${meta.format ?? 'unknown'} is not accepted as a source photo`);
  }
  if (!meta.width || !meta.height) throw new ImageRejectedError('undecodable', 'the image has no dimensions');
  if (meta.width * meta.height > options.maxPixels) {
    throw new ImageRejectedError(
      'too_many_pixels',
      `${meta.width}×${meta.height} is over the ${options.maxPixels} pixel limit`,
    );
  }

  const top = VARIANT_SIZES[VARIANT_SIZES.length - 1];
  let square: { data: Buffer; info: OutputInfo };
  try {
    square = await sharp(source, input)
      .autoOrient()
      .resize(top, top, { fit: 'cover', position: sharp.strategy.attention })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw rejection(error);
  }
  const raw = { width: square.info.width, height: square.info.height, channels: square.info.channels } as const;
  const transparent = raw.channels === 4 && !(await sharp(square.data, { raw }).stats()).isOpaque;
  const format = transparent ? 'png' : 'webp';
  const channels = transparent ? square.data : await sharp(square.data, { raw }).removeAlpha().raw().toBuffer();
  const rawOut = { ...raw, channels: transparent ? raw.channels : 3 } as const;

  const variants = await Promise.all(
    VARIANT_SIZES.map(async (size): Promise<RenderedVariant> => {
      let pipeline = sharp(channels, { raw: rawOut });
      if (size !== top) pipeline = pipeline.resize(size, size, { kernel: 'lanczos3' });
      const encoded =
        format === 'png'
          ? await pipeline.png({ compressionLevel: 9, effort: 4 }).toBuffer()
          : await pipeline.webp({ quality: 82, effort: 2 }).toBuffer();
      const bytes = new Uint8Array(encoded);
      const contentHash = sha256Hex(bytes);
      return {
        size,
        bytes,
        contentHash,
        storageKey: `${contentHash}.${format}`,
        contentType: format === 'png' ? 'image/png' : 'image/webp',
      };
    }),
  );
  return { sourceHash: sha256Hex(source), sourceWidth: meta.width, sourceHeight: meta.height, format, variants };
}

function rejection(error: unknown): ImageRejectedError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new ImageRejectedError('too_many_pixels', message, { cause: error });
  if (/unsupported image format/i.test(message))
    return new ImageRejectedError('unsupported_type', message, { cause: error });
  return new ImageRejectedError('undecodable', message, { cause: error });
}
