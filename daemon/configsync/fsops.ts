import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The file operations safe apply uses. Every mutation goes through here, so a test can "lose power" after any
 * one of them and check what recovery makes of the disk.
 */
export interface SyncFs {
  read(path: string): Promise<Buffer | null>;
  /** Mode of an existing file, or null. */
  mode(path: string): Promise<number | null>;
  /** Writes and fsyncs a file (not atomic: callers write to a temporary name and rename). */
  writeDurable(path: string, data: Uint8Array, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** fsync of a directory, so a rename or unlink in it survives power loss. */
  syncDir(path: string): Promise<void>;
  mkdirs(path: string): Promise<void>;
  list(dir: string): Promise<string[]>;
}

export const realFs: SyncFs = {
  async read(path) {
    try {
      return await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  async mode(path) {
    try {
      return (await stat(path)).mode & 0o7777;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  async writeDurable(path, data, mode) {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true, recursive: true }),
  async syncDir(path) {
    const fh = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  mkdirs: async (path) => {
    await mkdir(path, { recursive: true, mode: 0o755 });
  },
  async list(dir) {
    try {
      return await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  },
};

/** Replaces `path` with `data` so that a crash leaves either the old or the new content: temp + fsync + rename. */
export async function atomicWrite(fs: SyncFs, path: string, data: Uint8Array, mode: number): Promise<void> {
  const dir = dirname(path);
  await fs.mkdirs(dir);
  const tmp = `${path}.carpdeck-tmp`;
  await fs.writeDurable(tmp, data, mode);
  await fs.rename(tmp, path);
  await fs.syncDir(dir);
}

/** Removes `path` durably (the file is absent in the revision being installed). */
export async function atomicRemove(fs: SyncFs, path: string): Promise<void> {
  await fs.remove(path);
  await fs.syncDir(dirname(path));
}
