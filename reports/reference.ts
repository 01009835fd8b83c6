// Reference data the report prints beside the graph's figures: severity order and colours, the rule
// families in report order (orphans and scope drift first), OWASP Non-Human Identities Top 10 2025 and
// NIST CSF 2.0 titles (docs/risk-catalogue.md §2). The permissions each provider's crawl uses come
// from the configuration (src/crawl/permissions.ts), not from here.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: string): number {
  const i = SEVERITIES.indexOf(s as Severity);
  return i < 0 ? SEVERITIES.length : i;
}

export const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#9f1239', high: '#dc2626', medium: '#d97706', low: '#2563eb', info: '#64748b',
};

export interface FamilyInfo { id: string; title: string; why: string; aliases?: string[] }

/** Report order. A family the reconciler adds later and this list does not know is appended, titled from its id. */
export const FAMILIES: FamilyInfo[] = [
  { id: 'orphans', title: 'Orphaned connectors', aliases: ['orphan', 'orphaned', 'orphaned-connector'],
    why: 'No accountable owner, or every known owner has left or is disabled: nobody will notice misuse or retire it.' },
  { id: 'scope-drift', title: 'Scope drift', aliases: ['drift'],
    why: 'Granted permissions beyond what the inventory approved.' },
  { id: 'scope-change', title: 'Scope changes since last crawl', aliases: ['scope-changed', 'scope-expanded'],
    why: 'Permissions added or removed since the previous run, approved or not.' },
  { id: 'inventory', title: 'Inventory: unapproved and not found', aliases: ['unapproved', 'unapproved-connector', 'not-found', 'approved-not-found'],
    why: 'Connectors matching no entry of the approved inventory, and approved entries a complete crawl did not find.' },
  { id: 'approval', title: 'Expired approvals', aliases: ['approval-expired', 'temporary-expired'],
    why: 'The approval or temporary end date has passed while the connector is still present.' },
  { id: 'privilege', title: 'High-risk permissions', aliases: ['high-risk', 'high-risk-permission'],
    why: 'Permissions the risk catalogue grades high or critical.' },
  { id: 'credential-hygiene', title: 'Credential hygiene', aliases: ['hygiene', 'credentials', 'credential'],
    why: 'Credentials past rotation age, issued for longer than policy allows, without expiry, expiring soon with no replacement, expired but present, dormant, or several active at once.' },
  { id: 'forwarding', title: 'Data forwarding', aliases: ['data-forwarding', 'webhook'],
    why: 'Data sent to destinations the inventory does not allow.' },
  { id: 'transport', title: 'Insecure webhook transport', aliases: ['webhook-insecure-transport'],
    why: 'Webhooks that send their payloads over plain http:// or without verifying the receiver\'s TLS certificate.' },
  { id: 'static-secret', title: 'Static secrets (federation available)', aliases: ['static-secrets', 'federation'],
    why: 'Long-lived secrets where the provider offers federated or short-lived credentials.' },
];

export function familyInfo(id: string): FamilyInfo {
  return FAMILIES.find((f) => f.id === id || f.aliases?.includes(id))
    ?? { id, title: id.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase()), why: '' };
}

export function familyOrder(id: string): number {
  const i = FAMILIES.indexOf(familyInfo(id));
  return i < 0 ? FAMILIES.length : i;
}

export const OWASP_NHI_2025: Record<string, string> = {
  'NHI1:2025': 'Improper Offboarding',
  'NHI2:2025': 'Secret Leakage',
  'NHI3:2025': 'Vulnerable Third-Party NHI',
  'NHI4:2025': 'Insecure Authentication',
  'NHI5:2025': 'Overprivileged NHI',
  'NHI6:2025': 'Insecure Cloud Deployment Configurations',
  'NHI7:2025': 'Long-Lived Secrets',
  'NHI8:2025': 'Environment Isolation',
  'NHI9:2025': 'NHI Reuse',
  'NHI10:2025': 'Human Use of NHI',
};

export const NIST_CSF_2: Record<string, string> = {
  'GV.RR-02': 'Roles, responsibilities and authorities are established, communicated and enforced',
  'GV.SC-04': 'Suppliers are known and prioritised by criticality',
  'GV.SC-06': 'Planning and due diligence reduce risk before entering supplier relationships',
  'GV.SC-07': 'Supplier risks are understood, recorded, prioritised, assessed, responded to and monitored',
  'GV.SC-10': 'Supply-chain plans cover activities after a partnership or service agreement ends',
  'ID.AM-02': 'Inventories of software, services and systems are maintained',
  'ID.AM-04': 'Inventories of services provided by suppliers are maintained',
  'ID.AM-07': 'Inventories of data and corresponding metadata are maintained',
  'ID.AM-08': 'Systems, hardware, software, services and data are managed throughout their life cycles',
  'ID.RA-07': 'Changes and exceptions are managed, assessed for risk impact, recorded and tracked',
  'PR.AA-01': 'Identities and credentials for authorised users, services and hardware are managed',
  'PR.AA-02': 'Identities are proofed and bound to credentials based on the context of interactions',
  'PR.AA-03': 'Users, services and hardware are authenticated',
  'PR.AA-04': 'Identity assertions are protected, conveyed and verified',
  'PR.AA-05': 'Access permissions, entitlements and authorisations are defined, managed, enforced and reviewed (least privilege)',
  'PR.DS-01': 'The confidentiality, integrity and availability of data at rest are protected',
  'PR.DS-02': 'The confidentiality, integrity and availability of data in transit are protected',
  'PR.PS-01': 'Configuration management practices are established and applied',
  'PR.PS-04': 'Log records are generated and made available for continuous monitoring',
  'DE.CM-03': 'Personnel activity and technology usage are monitored to find potentially adverse events',
  'DE.CM-06': 'External service provider activities and services are monitored',
  'DE.CM-09': 'Computing hardware and software, runtime environments and their data are monitored',
};
