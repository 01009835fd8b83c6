// HTML escaping for report.html. Every string from the graph (names, evidence, owners, errors) comes
// from a third party and passes through h() — in text and in attribute values alike.
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function h(s: unknown): string {
  return String(s ?? '').replace(/[&<>"'`]/g, (c) => MAP[c]!);
}
