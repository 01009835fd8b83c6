// Private files and folders: everything nhi-census creates that holds graph data or evidence (the database
// and its -wal/-shm, backups, reports, drafted inventories) is readable by its owner only — files 0600,
// folders 0700 — whatever the process umask. Modes are set with chmod/fchmod after creation, which the
// umask does not filter. Files and folders that already exist keep their mode (an operator's choice).
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and any missing parents, each created one 0700; existing folders are left as they are. */
export function makePrivateDir(dir: string): void {
  const abs = path.resolve(dir);
  const first = fs.mkdirSync(abs, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // mkdirSync returns the first folder it created: chmod it and every folder below it down to `abs`
  for (let d = abs; ; d = path.dirname(d)) {
    fs.chmodSync(d, PRIVATE_DIR_MODE);
    if (d === first || d === path.dirname(d)) break;
  }
}

/** Creates `file` empty and 0600 if it does not exist (true when this call created it). Its folder must exist. */
export function createPrivateFile(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try { fs.fchmodSync(fd, PRIVATE_FILE_MODE); } finally { fs.closeSync(fd); }
  return true;
}

/** Opens a new file for writing, failing if it exists, with mode 0600 whatever the umask. */
export function openPrivateFileExclusive(file: string): number {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, PRIVATE_FILE_MODE);
  try { fs.fchmodSync(fd, PRIVATE_FILE_MODE); } catch (err) { fs.closeSync(fd); throw err; }
  return fd;
}
