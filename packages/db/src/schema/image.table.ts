import type { ColumnType, Selectable } from 'kysely';

export type ImageFormat = 'webp' | 'png';

export interface ImageTable {
  hash: string;
  source_url: string;
  source_width: number;
  source_height: number;
  format: ImageFormat;
  created_at: ColumnType<Date, Date | undefined, never>;
  unreferenced_since: Date | null;
}
export type ImageRow = Selectable<ImageTable>;

export interface ImageVariantTable {
  image_hash: string;
  size: number;
  content_hash: string;
  storage_key: string;
  content_type: string;
  byte_size: number;
}
export type ImageVariantRow = Selectable<ImageVariantTable>;
