// Atomic, private writes for evidence files. Each file is first written in full to a temporary file in
// the same folder (created 0600, fsynced), and only once every file of a set is staged are they renamed
// over their targets, in order, and the folder fsynced. A failure while staging (a full disk) removes the
// temporary files and leaves every existing target byte-identical; a reader never sees half a file.
// A set ends with a manifest (written last) so a reader can tell which files belong together.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateFile, makePrivateDir, openPrivateFileExclusive, PRIVATE_FILE_MODE } from './private-files.ts';
import { isStorageFailure, StorageError } from './storage-error.ts';

export interface StagedFile { target: string; temp: string; sha256: string; bytes: number }

function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `data` to a new 0600 temporary file beside `target` and fsyncs it; the target is not touched yet. */
export function stageFile(target: string, data: string | Uint8Array): StagedFile {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const temp = tempNameFor(target);
  let fd: number | undefined;
  try {
    fd = openPrivateFileExclusive(temp);
    for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
  } catch (err) {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already failing */ }
    fs.rmSync(temp, { force: true });
    throw err;
  }
  return { target, temp, sha256: crypto.createHash('sha256').update(buf).digest('hex'), bytes: buf.length };
}

/** Removes staged temporary files (after a failure). */
export function discardStaged(staged: StagedFile[]): void {
  for (const s of staged) fs.rmSync(s.temp, { force: true });
}

/** Renames staged files over their targets in order, then fsyncs each folder so the renames are durable. */
export function commitStaged(staged: StagedFile[]): void {
  for (let i = 0; i < staged.length; i++) {
    try {
      fs.renameSync(staged[i]!.temp, staged[i]!.target);
    } catch (err) {
      discardStaged(staged.slice(i));
      throw writeFailure(staged[i]!.target, err, `${i} of ${staged.length} file(s) were replaced before the failure`);
    }
  }
  for (const dir of new Set(staged.map((s) => path.dirname(s.target)))) fsyncDir(dir);
}

/**
 * Writes a set of files atomically as a set: all are staged before any target is replaced, then renamed in
 * the given order (put the manifest last). A failure while staging leaves every target unchanged and no
 * temporary file behind, and throws a StorageError naming the file that could not be written.
 */
export function writeFileSetAtomic(files: ReadonlyArray<readonly [target: string, data: string | Uint8Array]>): StagedFile[] {
  const staged: StagedFile[] = [];
  for (const [target, data] of files) {
    try {
      makePrivateDir(path.dirname(path.resolve(target)));
      staged.push(stageFile(target, data));
    } catch (err) {
      discardStaged(staged);
      throw writeFailure(target, err, files.length > 1 ? 'no file of the set was replaced' : 'the previous file is unchanged');
    }
  }
  commitStaged(staged);
  return staged;
}

/** One file, atomically and privately (0600; its folder created 0700 when missing). */
export function writeFileAtomic(target: string, data: string | Uint8Array): StagedFile {
  return writeFileSetAtomic([[target, data]])[0]!;
}

/** A StorageError (exit 8) for a full disk and the like; any other failure as an error naming the file. */
function writeFailure(target: string, err: unknown, context: string): Error {
  if (isStorageFailure(err)) return new StorageError(target, err, context);
  return new Error(`could not write ${target}: ${(err as Error).message ?? String(err)}; ${context}`, { cause: err });
}

/** fsync a folder so a rename in it survives a crash (not possible on every platform: then skipped). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A file another writer fills (SQLite's VACUUM INTO or online backup), made atomic and private: `fill`
 * writes into an empty 0600 `<target>.partial`, which is then chmodded, fsynced and renamed over the
 * target. On failure the partial file is removed and the target is untouched.
 */
export async function fillFileAtomic<T>(target: string, fill: (temp: string) => T | Promise<T>): Promise<T> {
  const temp = beginFill(target);
  try {
    const result = await fill(temp);
    finishFill(temp, target);
    return result;
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** The synchronous form of fillFileAtomic, for a synchronous filler. */
export function fillFileAtomicSync(target: string, fill: (temp: string) => void): void {
  const temp = beginFill(target);
  try {
    fill(temp);
    finishFill(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

function beginFill(target: string): string {
  const temp = `${target}.partial`;
  makePrivateDir(path.dirname(path.resolve(target)));
  fs.rmSync(temp, { force: true });
  createPrivateFile(temp); // the filler writes into the empty file and keeps its mode
  return temp;
}

function finishFill(temp: string, target: string): void {
  fs.chmodSync(temp, PRIVATE_FILE_MODE);
  const fd = fs.openSync(temp, 'r+');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(temp, target);
  fsyncDir(path.dirname(path.resolve(target)));
}
