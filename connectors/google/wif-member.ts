// Workload Identity Federation principals in IAM bindings (issue 19, TRUSTS edges): which pool a `principal://` or
// `principalSet://` member names, and which identities of that pool it admits. A binding of a role to such a member
// lets every external token the pool's providers accept, and whose mapped attributes match, act with that role —
// e.g. principalSet://…/workloadIdentityPools/github/attribute.repository/halcyon/deploy-infra admits GitHub Actions
// runs of that repository. Forms (cloud.google.com/iam/docs/principal-identifiers):
//   principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/subject/SUBJECT
//   principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/group/GROUP
//   principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/attribute.NAME/VALUE
//   principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/*
// IAM member strings may carry a `deleted:` prefix and a `?uid=` suffix for deleted principals; those admit nobody.

export type WifSelector =
  | { kind: 'subject'; subject: string }
  | { kind: 'group'; group: string }
  | { kind: 'attribute'; attribute: string; value: string }
  | { kind: 'all' };

export interface WifMember {
  member: string;
  projectNumber: string;
  poolId: string;
  /** projects/N/locations/global/workloadIdentityPools/POOL — the pool's resource name. */
  pool: string;
  selector: WifSelector;
}

const PREFIX = /^(principal|principalSet):\/\/iam\.googleapis\.com\/projects\/([0-9]+)\/locations\/global\/workloadIdentityPools\/([a-z0-9-]{4,32})\/(.+)$/;

/** The pool and selector of a WIF member; null for any other member (user:, serviceAccount:, deleted:, workforce pools). */
export function parseWifMember(member: string): WifMember | null {
  const m = PREFIX.exec(member);
  if (!m) return null;
  const [, scheme, projectNumber, poolId, rest] = m as unknown as [string, string, string, string, string];
  const pool = `projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}`;
  const at = (selector: WifSelector): WifMember => ({ member, projectNumber, poolId, pool, selector });
  if (scheme === 'principal') {
    return rest.startsWith('subject/') && rest.length > 'subject/'.length ? at({ kind: 'subject', subject: decode(rest.slice('subject/'.length)) }) : null;
  }
  if (rest === '*') return at({ kind: 'all' });
  if (rest.startsWith('group/') && rest.length > 'group/'.length) return at({ kind: 'group', group: decode(rest.slice('group/'.length)) });
  const attr = /^attribute\.([a-z_][a-z0-9_]{0,99})\/(.+)$/.exec(rest);
  return attr ? at({ kind: 'attribute', attribute: attr[1]!, value: decode(attr[2]!) }) : null;
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
