// GitHub Actions as a token issuer (issue 19): Entra federated credentials and Google Workload Identity providers
// that trust https://token.actions.githubusercontent.com name repositories through the `sub` claim or mapped claims
// (repository, repository_owner, repository_id, repository_owner_id). The keys here are the ones repository nodes
// carry in `workload_keys` (resources/repositories.ts), so a trust resolves to the repositories it admits.
import type { TrustIssuer, WorkloadFacts } from '../../src/trust/registry.ts';
import { isGithubActionsIssuer, parseGithubSubject } from './oidc-subject.ts';

/** The workload keys of a repository: by name and id, and its owner's (what an organisation-wide trust names). */
export function repositoryWorkloadKeys(fullName: string, repoId: string | number | null, ownerId: string | number | null): string[] {
  const name = fullName.toLowerCase();
  const owner = name.slice(0, name.indexOf('/'));
  return [`github:repo:${name}`, ...(repoId != null ? [`github:repo_id:${repoId}`] : []),
    `github:owner:${owner}`, ...(ownerId != null ? [`github:owner_id:${ownerId}`] : [])];
}

function describeSubject(subject: string): WorkloadFacts {
  const s = parseGithubSubject(subject);
  const key = s.breadth === 'unrecognised' ? null
    : s.breadth === 'organisation' ? (s.owner ? `github:owner:${s.owner}` : s.ownerId ? `github:owner_id:${s.ownerId}` : null)
      : s.repository && !/[*?]/.test(s.repository) ? `github:repo:${s.repository}` : s.repositoryId ? `github:repo_id:${s.repositoryId}` : null;
  return { workload_key: key, repository: s.breadth === 'organisation' ? null : s.repository, environment: s.environment,
    ref: s.ref, breadth: s.breadth, breadth_reason: s.reason };
}

const WILD = /[*?]/;

function describeClaim(claim: string, value: string): WorkloadFacts | null {
  const base = { environment: null, ref: null };
  if (WILD.test(value)) return { ...base, workload_key: null, repository: null, breadth: 'unrecognised', breadth_reason: `${claim} pattern ${value}: reviewed by hand` };
  switch (claim) {
    case 'repository': {
      if (!/^[^/]+\/[^/]+$/.test(value)) return null;
      const v = value.toLowerCase();
      return { ...base, workload_key: `github:repo:${v}`, repository: v, breadth: 'any-ref', breadth_reason: `any branch, tag or workflow of ${v}` };
    }
    case 'repository_id':
      return { ...base, workload_key: `github:repo_id:${value}`, repository: null, breadth: 'any-ref', breadth_reason: `any branch, tag or workflow of repository id ${value}` };
    case 'repository_owner':
      return { ...base, workload_key: `github:owner:${value.toLowerCase()}`, repository: null, breadth: 'organisation', breadth_reason: `accepts any repository of ${value.toLowerCase()}` };
    case 'repository_owner_id':
      return { ...base, workload_key: `github:owner_id:${value}`, repository: null, breadth: 'organisation', breadth_reason: `accepts any repository of owner id ${value}` };
    default: return null;
  }
}

export const GITHUB_ACTIONS_ISSUER: TrustIssuer = { kind: 'github-actions', matches: isGithubActionsIssuer, describeSubject, describeClaim };
