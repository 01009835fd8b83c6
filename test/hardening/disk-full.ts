// Test helpers for a full disk: an injected ENOSPC from fs.writeSync after a byte budget (what the atomic
// writer calls), and a real tmpfs of a chosen size where this user may mount one (root on Linux).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { vi } from 'vitest';

/** fs.writeSync fails with ENOSPC once `budget` more bytes have been written (a disk that fills up). */
export function diskFillsAfter(budget: number) {
  const real = fs.writeSync.bind(fs) as (...a: unknown[]) => number;
  let left = budget;
  return vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Uint8Array, off?: number, len?: number, pos?: number | null) => {
    const want = typeof len === 'number' ? len : buf.length - (off ?? 0);
    if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const wrote = real(fd, buf, off, Math.min(want, left), pos);
    left -= wrote;
    return wrote;
  }) as typeof fs.writeSync);
}

/** A mount point for a tmpfs, or null when this user cannot mount one (then the tmpfs tests are skipped). */
export function tmpfsMountPoint(dir: string): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  try {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return dir;
  } catch { return null; }
}

export function mountTmpfs(dir: string, kib: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]);
}

export function resizeTmpfs(dir: string, kib: number): void {
  execFileSync('mount', ['-o', `remount,size=${kib}k`, dir]);
}

/** Unmounts the tmpfs (if mounted) and removes its empty mount point. */
export function unmountQuietly(dir: string | null): void {
  if (!dir) return;
  try { execFileSync('umount', [dir], { stdio: 'ignore' }); } catch { /* not mounted */ }
  try { fs.rmdirSync(dir); } catch { /* still mounted or not empty: leave it */ }
}
