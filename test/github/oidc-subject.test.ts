// GitHub Actions OIDC subjects (issue 19): every documented subject form, customised templates, wildcards and
// malformed subjects, table-driven; and which issuers are GitHub's.
import { describe, expect, it } from 'vitest';
import { isGithubActionsIssuer, parseGithubSubject, type SubjectBreadth } from '../../connectors/github/oidc-subject.ts';

type Row = [subject: string, breadth: SubjectBreadth, fields: Partial<ReturnType<typeof parseGithubSubject>>];

const ROWS: Row[] = [
  // the default subject forms
  ['repo:Halcyon/deploy-infra:environment:production', 'pinned', { repository: 'halcyon/deploy-infra', owner: 'halcyon', environment: 'production', ref: null, pullRequest: false }],
  ['repo:halcyon/deploy-infra:ref:refs/heads/main', 'pinned', { repository: 'halcyon/deploy-infra', ref: 'refs/heads/main', environment: null }],
  ['repo:halcyon/deploy-infra:ref:refs/tags/v1.2.0', 'pinned', { ref: 'refs/tags/v1.2.0' }],
  ['repo:halcyon/deploy-infra:pull_request', 'pull-request', { repository: 'halcyon/deploy-infra', pullRequest: true }],
  // customised templates (include_claim_keys)
  ['repo:halcyon/deploy-infra:environment:prod:job_workflow_ref:halcyon/shared/.github/workflows/deploy.yml@refs/heads/main', 'pinned',
    { environment: 'prod', jobWorkflowRef: 'halcyon/shared/.github/workflows/deploy.yml@refs/heads/main' }],
  ['repo:halcyon/deploy-infra:job_workflow_ref:halcyon/shared/.github/workflows/deploy.yml@refs/heads/main', 'any-ref',
    { repository: 'halcyon/deploy-infra', jobWorkflowRef: 'halcyon/shared/.github/workflows/deploy.yml@refs/heads/main' }],
  ['repository_owner:halcyon:context:pull_request', 'organisation', { owner: 'halcyon', repository: null }],
  ['repository_owner_id:1001:repository_id:52001:environment:production', 'pinned', { ownerId: '1001', repositoryId: '52001', environment: 'production' }],
  ['repository_owner_id:1001', 'organisation', { ownerId: '1001', repositoryId: null }],
  ['repo:halcyon/deploy-infra:workflow:Deploy', 'any-ref', { repository: 'halcyon/deploy-infra' }],
  // wildcards (flexible federated credentials, attribute conditions)
  ['repo:halcyon/*:ref:refs/heads/main', 'organisation', { owner: 'halcyon', repository: null, wildcard: true }],
  ['repo:halcyon/deploy-infra:ref:refs/heads/*', 'any-ref', { ref: 'refs/heads/*', wildcard: true }],
  ['repo:halcyon/deploy-infra:environment:*', 'any-ref', { environment: '*', wildcard: true }],
  ['repo:halcyon/deploy-infra:*', 'unrecognised', { wildcard: true }],
  // not GitHub subjects
  ['system:serviceaccount:payments:deployer', 'unrecognised', {}],
  ['repo:halcyon', 'unrecognised', {}],
  ['repo:halcyon/a/b:ref:refs/heads/main', 'unrecognised', {}],
  ['', 'unrecognised', {}],
  ['environment:production', 'unrecognised', {}],
];

describe('parseGithubSubject', () => {
  it.each(ROWS)('%s → %s', (subject, breadth, fields) => {
    const s = parseGithubSubject(subject);
    expect(s.breadth).toBe(breadth);
    expect(s).toMatchObject(fields);
    expect(s.raw).toBe(subject);
    expect(s.reason.length).toBeGreaterThan(0);
  });

  it('keeps every claim in the order of the subject', () => {
    expect(parseGithubSubject('repo:o/r:environment:prod:actor:octocat').claims).toEqual([['repo', 'o/r'], ['environment', 'prod'], ['actor', 'octocat']]);
    expect(parseGithubSubject('repo:o/r:pull_request').claims).toEqual([['repo', 'o/r'], ['context', 'pull_request']]);
  });

  it('says why in words the evidence can quote', () => {
    expect(parseGithubSubject('repo:o/r:pull_request').reason).toBe('any pull request of o/r');
    expect(parseGithubSubject('repo:o/*:ref:refs/heads/main').reason).toBe('accepts any repository of o/*');
    expect(parseGithubSubject('repo:o').reason).toMatch(/^not a GitHub Actions subject: 'o' is not OWNER\/REPO/);
  });
});

describe('isGithubActionsIssuer', () => {
  // Entra and Google compare the issuer string exactly: only what GitHub puts in `iss` is GitHub's
  // (docs.github.com, OpenID Connect reference; "Switching to a unique token URL" for GHEC enterprises).
  it.each([
    ['https://token.actions.githubusercontent.com', true],
    ['https://token.actions.githubusercontent.com/halcyon-enterprise', true],
    ['https://token.actions.githubusercontent.com/acme2', true],
    // near misses: no token GitHub issues carries them, so the trust is not GitHub's to judge
    ['https://token.actions.githubusercontent.com/', false],
    ['https://token.actions.githubusercontent.com//', false],
    ['https://TOKEN.actions.githubusercontent.com', false],
    ['https://token.actions.GitHubUserContent.com', false],
    ['HTTPS://token.actions.githubusercontent.com', false],
    ['https://token.actions.githubusercontent.com:443', false],
    ['https://token.actions.githubusercontent.com/halcyon-enterprise/', false],
    ['https://token.actions.githubusercontent.com/Halcyon-Enterprise', false],
    [' https://token.actions.githubusercontent.com', false],
    ['https://token.actions.githubusercontent.com ', false],
    ['https://token.actions.githubusercontent.com/.well-known/openid-configuration', false],
    // a GitHub Enterprise Server issuer (https://HOST/_services/token) names a host anyone can run: configure it
    ['https://ghe.halcyon.example/_services/token', false],
    ['http://token.actions.githubusercontent.com', false],
    ['https://token.actions.githubusercontent.com.evil.example', false],
    ['https://token.actions.githubusercontent.com/a/b', false],
    ['https://token.actions.githubusercontent.com?x=1', false],
    ['https://user@token.actions.githubusercontent.com', false],
    ['https://sts.windows.net/00000000-0000-0000-0000-000000000000/', false],
    ['https://gitlab.com', false],
    ['not a url', false],
    ['', false],
    [null, false],
  ] as const)('%s → %s', (issuer, expected) => {
    expect(isGithubActionsIssuer(issuer)).toBe(expected);
  });

  it('leaves a near-miss issuer unknown, so federation-untrusted-issuer judges it', async () => {
    const { describeTrust } = await import('../../src/trust/registry.ts');
    await import('../../connectors/github/index.ts');
    expect(describeTrust('https://token.actions.githubusercontent.com', 'repo:o/r:ref:refs/heads/main').issuer_kind).toBe('github-actions');
    for (const near of ['https://token.actions.githubusercontent.com/', 'https://Token.Actions.GitHubUserContent.com']) {
      const d = describeTrust(near, 'repo:o/r:ref:refs/heads/main');
      expect(d.issuer_kind).toBe('unknown');
      expect(d.workload_key).toBeNull();
    }
  });
});
