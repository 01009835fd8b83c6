// GitHub Actions OIDC: which issuers are GitHub's, and what a trusted `sub` claim names (issue 19, TRUSTS edges).
// A cloud identity that accepts GitHub's tokens (an Entra federated identity credential, a Google Workload Identity
// provider) pins a subject; this parser says which repository, environment, ref or pull-request context it names,
// and how broad the trust is. Formats (docs.github.com/actions/reference/openid-connect-reference):
//   repo:ORG/REPO:environment:NAME          a deployment environment
//   repo:ORG/REPO:ref:refs/heads/BRANCH     a branch (refs/tags/TAG: a tag)
//   repo:ORG/REPO:pull_request              any pull request
//   a customised template (`include_claim_keys`): claim:value pairs in the template's order, e.g.
//   repository_owner:ORG:context:…, repo:ORG/REPO:job_workflow_ref:ORG/R/.github/workflows/x.yml@refs/heads/main,
//   repository_owner_id:1:repository_id:2 (immutable identifiers).
// Git forbids ':' in ref names and GitHub in owner, repository and environment names, so the pairs split on ':'.
// Wildcards (`*`, `?`) appear only where the accepting side matches patterns (flexible federated credentials,
// attribute conditions); they widen the trust and are reported as such, never matched silently.

/**
 * The `iss` GitHub Actions tokens carry, character for character — Entra and Google compare the issuer string
 * exactly, so a trailing slash, an upper-case letter or a port is a trust no GitHub token meets:
 * https://token.actions.githubusercontent.com, or a GHEC enterprise's unique URL
 * https://token.actions.githubusercontent.com/<enterpriseSlug> ("Switching to a unique token URL",
 * docs.github.com/en/enterprise-cloud@latest/actions/reference/security/oidc; slugs are lower case). A GitHub Enterprise
 * Server issuer (https://HOSTNAME/_services/token) names a host anyone could run: it stays unknown unless configured.
 */
const GITHUB_ISSUER = /^https:\/\/token\.actions\.githubusercontent\.com(?:\/[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)?$/;

export function isGithubActionsIssuer(issuer: string | null | undefined): boolean {
  return typeof issuer === 'string' && issuer.length <= 200 && GITHUB_ISSUER.test(issuer);
}

/** How much a subject accepts: the finding `federation-broad-subject` fires on everything but 'pinned'. */
export type SubjectBreadth =
  | 'pinned'          // one environment, one branch or one tag of one repository
  | 'any-ref'         // one repository, any branch, tag or workflow run (no environment or ref in the subject)
  | 'pull-request'    // one repository, any pull request
  | 'organisation'    // any repository of an owner (no repository, or a wildcard in it)
  | 'unrecognised';   // not a GitHub subject this parser understands: reviewed by hand, never assumed narrow

export interface GithubOidcSubject {
  raw: string;
  /** ORG/REPO, lower-cased as GitHub compares them; null when the subject names no single repository. */
  repository: string | null;
  owner: string | null;
  repositoryId: string | null;
  ownerId: string | null;
  environment: string | null;
  /** refs/heads/main, refs/tags/v1 … */
  ref: string | null;
  pullRequest: boolean;
  jobWorkflowRef: string | null;
  /** Every claim:value pair in the subject's order (pull_request as context=pull_request). */
  claims: Array<[string, string]>;
  /** The subject holds a wildcard (only meaningful where the accepting side matches patterns). */
  wildcard: boolean;
  breadth: SubjectBreadth;
  /** Why the breadth is what it is, in words for the finding's evidence. */
  reason: string;
}

/** Claims that take no value in a subject. */
const BARE = new Set(['pull_request']);
const WILD = /[*?]/;

export function parseGithubSubject(raw: string): GithubOidcSubject {
  const out: GithubOidcSubject = {
    raw, repository: null, owner: null, repositoryId: null, ownerId: null, environment: null, ref: null,
    pullRequest: false, jobWorkflowRef: null, claims: [], wildcard: WILD.test(raw), breadth: 'unrecognised', reason: '',
  };
  const parts = raw.split(':');
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    if (BARE.has(key)) { out.claims.push(['context', key]); out.pullRequest = true; continue; }
    const value = parts[i + 1];
    if (!key || value === undefined || value === '') return unrecognised(out, `no value for '${key || '(empty)'}'`);
    i++;
    out.claims.push([key, value]);
    switch (key) {
      case 'repo': case 'repository': {
        const slash = value.indexOf('/');
        if (slash <= 0 || slash === value.length - 1 || value.indexOf('/', slash + 1) !== -1) return unrecognised(out, `'${value}' is not OWNER/REPO`);
        out.repository = value.toLowerCase();
        out.owner = value.slice(0, slash).toLowerCase();
        break;
      }
      case 'repository_owner': out.owner = value.toLowerCase(); break;
      case 'repository_id': out.repositoryId = value; break;
      case 'repository_owner_id': out.ownerId = value; break;
      case 'environment': out.environment = value; break;
      case 'ref': out.ref = value; break;
      case 'job_workflow_ref': out.jobWorkflowRef = value; break;
      default: break; // other claims (workflow, actor, event_name, …) narrow nothing we rely on; kept in claims
    }
  }
  return classify(out);
}

function unrecognised(s: GithubOidcSubject, why: string): GithubOidcSubject {
  return { ...s, breadth: 'unrecognised', reason: `not a GitHub Actions subject: ${why}` };
}

function classify(s: GithubOidcSubject): GithubOidcSubject {
  const repoWild = s.repository !== null && WILD.test(s.repository);
  const hasRepo = (s.repository !== null && !repoWild) || (s.repositoryId !== null && !WILD.test(s.repositoryId));
  if (!hasRepo) {
    if (s.owner === null && s.ownerId === null && s.repository === null) return unrecognised(s, 'it names no repository or owner');
    const who = s.repository ?? s.owner ?? `owner id ${s.ownerId}`;
    return { ...s, repository: repoWild ? null : s.repository, breadth: 'organisation', reason: `accepts any repository of ${repoWild ? who : s.owner ?? who}` };
  }
  const what = s.repository ?? `repository id ${s.repositoryId}`;
  if (s.environment !== null && !WILD.test(s.environment)) return { ...s, breadth: 'pinned', reason: `only the environment ${s.environment} of ${what}` };
  if (s.ref !== null && !WILD.test(s.ref)) return { ...s, breadth: 'pinned', reason: `only ${s.ref} of ${what}` };
  if (s.pullRequest) return { ...s, breadth: 'pull-request', reason: `any pull request of ${what}` };
  if (s.environment !== null) return { ...s, breadth: 'any-ref', reason: `environments matching ${s.environment} of ${what}` };
  if (s.ref !== null) return { ...s, breadth: 'any-ref', reason: `refs matching ${s.ref} of ${what}` };
  return { ...s, breadth: 'any-ref', reason: `any branch, tag or workflow of ${what}` + (s.jobWorkflowRef ? ` running ${s.jobWorkflowRef}` : '') };
}
