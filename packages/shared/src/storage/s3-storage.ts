import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { contentTypeForKey, type ImageStorage, STORAGE_KEY_PATTERN } from './image-storage.ts';

export interface S3StorageOptions {
  readonly bucket: string;
  readonly region: string;
  /** An S3-compatible endpoint (MinIO, R2, Ceph…); unset means AWS. */
  readonly endpoint?: string | undefined;
  readonly accessKeyId?: string | undefined;
  readonly secretAccessKey?: string | undefined;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`; most self-hosted servers need it. */
  readonly forcePathStyle?: boolean;
  /** Prefix inside the bucket, e.g. "avatars/"; default none. */
  readonly prefix?: string;
}

export interface S3ImageStorage extends ImageStorage {
  /** Closes the client's sockets. */
  close(): void;
}

/**
 * Objects in an S3-compatible bucket. Keys are content-addressed and never change, so objects are
 * written with a year-long immutable Cache-Control, useful when the bucket is the CDN's origin.
 */
export function createS3Storage(options: S3StorageOptions): S3ImageStorage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
  });
  const prefix = options.prefix ?? '';
  const objectKey = (key: string) => {
    if (!STORAGE_KEY_PATTERN.test(key)) throw new Error(`not a storage key: ${key}`);
    return `${prefix}${key}`;
  };
  return {
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          Body: body,
          ContentType: contentType,
          ContentLength: body.byteLength,
          CacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    },
    async get(key) {
      if (!STORAGE_KEY_PATTERN.test(key)) return undefined;
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        if (!out.Body) return undefined;
        const body = await out.Body.transformToByteArray();
        return { body, contentType: out.ContentType ?? contentTypeForKey(key) };
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
        throw error;
      }
    },
    async delete(key) {
      // Deleting a missing object succeeds in S3, so a clean-up that runs twice is harmless.
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
    close() {
      client.destroy();
    },
  };
}
