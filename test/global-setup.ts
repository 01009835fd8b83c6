// Runs once before the test workers start: the scratch folder for test databases and logs.
// (Never wiped here: several vitest processes may share it; test files name their files by pid.)
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  fs.mkdirSync(path.resolve('test/.tmp'), { recursive: true });
}
