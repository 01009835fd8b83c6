// Test helper: what a reviewer types into each FILL IN field of an `inventory draft` (valid values; nothing
// else of the draft is touched), so the draft → fill in → validate → reconcile round trip can be tested.
import YAML, { type YAMLMap, type YAMLSeq } from 'yaml';

export function fillIn(draft: string): string {
  const doc = YAML.parseDocument(draft);
  const filled: Record<string, string> = { vendor: 'Some Vendor', business_owner: 'owner@example.com', technical_owner: 'tech@example.com',
    purpose: 'reviewed', ticket: 'SEC-1', approved_on: '2026-11-01' };
  for (const e of (doc.get('entries') as YAMLSeq<YAMLMap>).items) {
    for (const [k, v] of Object.entries(filled)) if (e.get(k) === '') e.set(k, v);
  }
  return doc.toString({ lineWidth: 0 });
}
