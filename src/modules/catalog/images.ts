import sharp, { type Sharp } from 'sharp';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ImageRefView } from './views.js';
import { imageRef } from './views.js';
import * as repo from './repo.js';
import type { ImageVariant } from './schema.js';
import type { FileStorage } from './storage.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Decompression bombs: a small file that claims a huge canvas is refused before decoding. */
const MAX_INPUT_PIXELS = 40_000_000;
const FULL_EDGE = 2400;
const THUMBS = { w800: 800, w240: 240 } as const;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

type Encoded = { buffer: Buffer; width: number; height: number; format: string };

/**
 * Checks what the bytes really are (never the file name or the declared type), re-encodes them
 * (which drops EXIF, GPS and other metadata, after applying the EXIF orientation) and makes the
 * webp thumbnails.
 */
export async function processImage(input: Buffer): Promise<Record<'full' | 'w800' | 'w240', Encoded>> {
  let format: string | undefined;
  try {
    const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    format = meta.format;
  } catch {
    throw badRequest('not_an_image', 'The file is not a JPEG, PNG or WebP image');
  }
  if (!format || !ACCEPTED.has(format)) throw badRequest('not_an_image', `The file is ${format ?? 'not an image'}; send JPEG, PNG or WebP`);

  const base = () => sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, autoOrient: true });
  const encode = async (pipeline: Sharp): Promise<Encoded> => {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { buffer: data, width: info.width, height: info.height, format: info.format };
  };
  try {
    const resized = base().resize({ width: FULL_EDGE, height: FULL_EDGE, fit: 'inside', withoutEnlargement: true });
    const full =
      format === 'jpeg' ? resized.jpeg({ quality: 85, mozjpeg: true }) : format === 'png' ? resized.png({ compressionLevel: 9 }) : resized.webp({ quality: 85 });
    const thumb = (width: number) => base().resize({ width, height: width, fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 });
    const [f, w800, w240] = await Promise.all([encode(full), encode(thumb(THUMBS.w800)), encode(thumb(THUMBS.w240))]);
    return { full: f, w800, w240 };
  } catch (err) {
    // A header that parses but pixel data that does not: still not an image we can use.
    if (err instanceof AppError) throw err;
    throw badRequest('not_an_image', 'The image data is corrupt');
  }
}

export function createImageService(deps: { db: Db; clock: Clock; storage: FileStorage }) {
  const { db, clock, storage } = deps;
  return {
    async upload(merchantId: string, file: { buffer: Buffer; filename: string }): Promise<ImageRefView> {
      const encoded = await processImage(file.buffer);
      const id = newId('image');
      const extension = encoded.full.format === 'jpeg' ? 'jpg' : encoded.full.format;
      const keys = { full: `${merchantId}/${id}.${extension}`, w800: `${merchantId}/${id}-w800.webp`, w240: `${merchantId}/${id}-w240.webp` };
      const variants = {} as Record<'full' | 'w800' | 'w240', ImageVariant>;
      for (const name of ['full', 'w800', 'w240'] as const) {
        const e = encoded[name];
        await storage.put(keys[name], e.buffer, `image/${e.format}`);
        variants[name] = { key: keys[name], width: e.width, height: e.height, bytes: e.buffer.length, format: e.format };
      }
      const row = await repo.insertImage(db, {
        id,
        merchantId,
        variants,
        originalName: file.filename.slice(0, 200),
        createdAt: clock.now(),
      });
      return imageRef(row, storage);
    },
  };
}

export type ImageService = ReturnType<typeof createImageService>;
