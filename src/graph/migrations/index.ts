// The ordered list of schema migrations. Append new ones; never reorder or edit released ones.
import * as m001 from './001-init.ts';
import * as m002 from './002-views.ts';
import * as m003 from './003-findings.ts';

export interface Migration { id: number; name: string; sql: string }
export const migrations: Migration[] = [m001, m002, m003];
