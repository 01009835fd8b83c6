// The stable id of a finding: rule, subject and the detail that tells two findings of one rule on one subject
// apart. Never change the formula: ids carry a finding's history from month to month.
import crypto from 'node:crypto';

export function findingId(rule: string, subjectId: string, detail = ''): string {
  return 'f_' + crypto.createHash('sha256').update(`${rule}\n${subjectId}\n${detail}`).digest('hex').slice(0, 16);
}
