// The database as the reach walk reads it (src/reach/walk.ts): one `paths` query per level of the frontier.
import type { Db } from '../graph/db.ts';
import { stepsFrom, stepsInto } from '../graph/paths-queries.ts';
import type { StepSource } from './walk.ts';

export function dbStepSource(db: Db): StepSource {
  return { from: (ids) => stepsFrom(db, ids), into: (ids) => stepsInto(db, ids) };
}
