// Workload Identity Federation members in IAM bindings (issue 19): every principal identifier form, and the
// members that are not WIF principals, table-driven.
import { describe, expect, it } from 'vitest';
import { parseWifMember } from '../../connectors/google/wif-member.ts';

const POOL = 'projects/123456789/locations/global/workloadIdentityPools/github-pool';
const BASE = `iam.googleapis.com/${POOL}`;

describe('parseWifMember', () => {
  it.each([
    [`principalSet://${BASE}/attribute.repository/halcyon/deploy-infra`, { kind: 'attribute', attribute: 'repository', value: 'halcyon/deploy-infra' }],
    [`principalSet://${BASE}/attribute.repository_owner/halcyon`, { kind: 'attribute', attribute: 'repository_owner', value: 'halcyon' }],
    [`principal://${BASE}/subject/repo:halcyon/deploy-infra:ref:refs/heads/main`, { kind: 'subject', subject: 'repo:halcyon/deploy-infra:ref:refs/heads/main' }],
    [`principal://${BASE}/subject/system%3Aserviceaccount%3Aci%3Adeployer`, { kind: 'subject', subject: 'system:serviceaccount:ci:deployer' }],
    [`principalSet://${BASE}/group/deployers`, { kind: 'group', group: 'deployers' }],
    [`principalSet://${BASE}/*`, { kind: 'all' }],
  ] as const)('%s', (member, selector) => {
    expect(parseWifMember(member)).toEqual({ member, projectNumber: '123456789', poolId: 'github-pool', pool: POOL, selector });
  });

  it.each([
    'user:ana@halcyon.example',
    'serviceAccount:deployer@halcyon-prod.iam.gserviceaccount.com',
    `deleted:principalSet://${BASE}/attribute.repository/halcyon/deploy-infra?uid=123`,
    // a workforce pool (people, not workloads) and a malformed pool id
    'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/group/eng',
    'principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/P/*',
    `principal://${BASE}/subject/`,
    `principal://${BASE}/attribute.repository/halcyon/x`,
    `principalSet://${BASE}/attribute.Bad-Name/x`,
    `principalSet://${BASE}/`,
    'principalSet://evil.example/projects/1/locations/global/workloadIdentityPools/pool1/*',
  ])('%s is not a WIF principal', (member) => {
    expect(parseWifMember(member)).toBeNull();
  });
});
