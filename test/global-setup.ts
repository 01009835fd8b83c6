// Runs once before the test workers start: a scratch folder for test databases and logs.
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const dir = path.resolve('test/.tmp');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}
