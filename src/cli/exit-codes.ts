// Exit codes of every nhi-census command (documented in docs/cli.md), so schedulers and CI can act on them.
export const EXIT = {
  OK: 0,
  /** An unexpected internal error. */
  ERROR: 1,
  /** Bad input: command line, config file, inventory file. Nothing was written. */
  INPUT: 2,
  /** The crawl finished but some resource listings failed: the data is partial. */
  PARTIAL: 3,
  /** The crawl failed for every resource. */
  CRAWL_FAILED: 4,
  /** Findings at or above the --fail-on severity exist. */
  FINDINGS: 5,
  /** Another run holds the database lock. */
  LOCKED: 6,
  /** The run could not start (database unreadable, simulator could not start, ...). */
  CANNOT_START: 7,
  /** Storage error: the database or an output file could not be written (disk full, I/O error, read-only
   * file system). The message names the file and the cause; the runs are closed as failed where the
   * database still accepts writes, and earlier report files are unchanged. */
  STORAGE: 8,
  /** Interrupted by SIGINT/SIGTERM. */
  INTERRUPTED: 130,
} as const;
