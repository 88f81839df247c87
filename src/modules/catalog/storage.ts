import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where uploaded files live. Keys are relative paths (`<merchantId>/<imageId>-w800.webp`); the
 * local-disk store serves them at `/uploads/<key>`. An S3-compatible store implements the same
 * three methods and answers its own public URL.
 */
export interface FileStorage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  url(key: string): string;
}

export const UPLOADS_PREFIX = '/uploads/';

export function localDiskStorage(root: string): FileStorage & { root: string } {
  const resolve = (key: string) => {
    const full = path.resolve(root, key);
    // Keys are built from ids, but never let one escape the root.
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`storage key escapes the root: ${key}`);
    return full;
  };
  return {
    root,
    async put(key, body) {
      const full = resolve(key);
      await fs.mkdir(path.dirname(full), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const temporary = `${full}.${process.pid}.tmp`;
      await fs.writeFile(temporary, body);
      await fs.rename(temporary, full);
    },
    async delete(key) {
      await fs.rm(resolve(key), { force: true });
    },
    url: (key) => `${UPLOADS_PREFIX}${key}`,
  };
}
