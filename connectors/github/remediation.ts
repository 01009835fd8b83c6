// GitHub remediation (src/remediation): the organisation settings page and the `gh api` call that removes or narrows
// the object a finding names. Endpoints as documented in GitHub's REST reference (docs/report.md "Remediation"):
// DELETE /orgs/{org}/hooks/{hook_id}, DELETE /repos/{owner}/{repo}/hooks/{hook_id}, PATCH …/hooks/{hook_id}/config,
// DELETE /repos/{owner}/{repo}/keys/{key_id}, DELETE /orgs/{org}/credential-authorizations/{credential_id},
// POST /orgs/{org}/personal-access-tokens/{pat_id} (action=revoke; GitHub App tokens only), `gh secret delete --org`.
// An app installation is uninstalled from its settings page: the REST uninstall needs the app's own JWT.
import { arg, command, nativeId, seg, SHAPES, type RemediationAction, type RemediationInput } from '../../src/remediation/shell.ts';

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const ROTATION_RULES = new Set(['credential-rotation-overdue', 'static-secret', 'credential-lifetime-excessive', 'credential-no-expiry', 'credential-expiring-soon']);

export default function githubRemediation(f: RemediationInput): RemediationAction | null {
  const n = f.subject?.type ? f.subject : f.connector;
  if (!n?.type) return null;
  const orgArg = arg(f.tenant, SHAPES.slug);
  const orgSeg = seg(f.tenant, SHAPES.slug);
  const orgPage = (rest: string) => (orgSeg ? `https://github.com/organizations/${orgSeg}/settings/${rest}` : null);
  switch (n.type) {
    case 'github.app_installation': {
      const id = seg(n.props.installation_id ?? nativeId(n.id, 'app_installation'), SHAPES.digits);
      return { console_url: id ? orgPage(`installations/${id}`) : orgPage('installations'), command: null,
        note: 'Narrow its permissions or repository access, or uninstall it, on the installation\'s settings page (an organisation owner). '
          + 'The REST uninstall (DELETE /app/installations/{installation_id}) needs the app\'s own credentials, so it is not given here.' };
    }
    case 'github.org_webhook': {
      const hook = arg(n.props.hook_id ?? nativeId(n.id, 'org_webhook'), SHAPES.digits);
      const page = hook ? orgPage(`hooks/${hook}`) : orgPage('hooks');
      if (f.rule === 'webhook-insecure-transport') return insecureHook(f, page, orgArg && hook ? `/orgs/${orgArg}/hooks/${hook}` : null);
      return { console_url: page, command: command('gh api -X DELETE', orgArg && hook ? `/orgs/${orgArg}/hooks/${hook}` : null),
        note: 'Deletes the organisation webhook (check with the owner that nothing still depends on it).' };
    }
    case 'github.repo_webhook': {
      const hook = arg(n.props.hook_id ?? nativeId(n.id, 'repo_webhook'), SHAPES.digits);
      const repo = f.access.map((a) => a.resource).find((r) => r && SHAPES.repo.test(r)) ?? null;
      const repoArg = arg(repo, SHAPES.repo);
      const page = repo && hook ? `https://github.com/${repo.split('/').map(encodeURIComponent).join('/')}/settings/hooks/${hook}` : null;
      if (f.rule === 'webhook-insecure-transport') return insecureHook(f, page, repoArg && hook ? `/repos/${repoArg}/hooks/${hook}` : null);
      return { console_url: page, command: command('gh api -X DELETE', repoArg && hook ? `/repos/${repoArg}/hooks/${hook}` : null),
        note: 'Deletes the repository webhook (check with the owner that nothing still depends on it).' };
    }
    case 'github.deploy_key': {
      const key = arg(nativeId(n.id, 'deploy_key'), SHAPES.digits);
      const repoArg = arg(n.props.repository, SHAPES.repo);
      const repo = typeof n.props.repository === 'string' && SHAPES.repo.test(n.props.repository) ? n.props.repository : null;
      return { console_url: repo ? `https://github.com/${repo.split('/').map(encodeURIComponent).join('/')}/settings/keys` : null,
        command: command('gh api -X DELETE', repoArg && key ? `/repos/${repoArg}/keys/${key}` : null),
        note: ROTATION_RULES.has(f.rule) ? 'To rotate: add a new deploy key, switch its consumer to it, then delete this one.' : 'Deletes the deploy key from the repository.' };
    }
    case 'github.actions_secret': {
      const name = arg(n.name, SECRET_NAME);
      return { console_url: orgPage('secrets/actions'),
        command: ROTATION_RULES.has(f.rule) ? null : command('gh secret delete', name, '--org', orgArg),
        note: ROTATION_RULES.has(f.rule) ? 'Rotate: issue a new value at its source, then update the secret on this page (keep its repository access as it is).'
          : 'Deletes the organisation Actions secret (workflows that read it will fail).' };
    }
    case 'github.fine_grained_pat': {
      const pat = arg(nativeId(n.id, 'pat_grant'), SHAPES.digits);
      return { console_url: orgPage('personal-access-tokens/active'),
        command: command('gh api -X POST', orgArg && pat ? `/orgs/${orgArg}/personal-access-tokens/${pat}` : null, '-f action=revoke'),
        note: 'Revokes the token\'s access to the organisation. GitHub accepts this call only with a GitHub App\'s token; with a user\'s token, revoke it on the page instead.' };
    }
    case 'github.fine_grained_pat_request': {
      const req = arg(nativeId(n.id, 'pat_request'), SHAPES.digits);
      return { console_url: orgPage('personal-access-token-requests'),
        command: command('gh api -X POST', orgArg && req ? `/orgs/${orgArg}/personal-access-token-requests/${req}` : null, '-f action=deny'),
        note: 'Denies the pending request. GitHub accepts this call only with a GitHub App\'s token; with a user\'s token, deny it on the page instead.' };
    }
    case 'github.sso_credential': {
      const cred = arg(nativeId(n.id, 'credential_authorization'), SHAPES.digits);
      return { console_url: orgSeg ? `https://github.com/orgs/${orgSeg}/people` : null,
        command: command('gh api -X DELETE', orgArg && cred ? `/orgs/${orgArg}/credential-authorizations/${cred}` : null),
        note: 'Removes the credential\'s SAML SSO authorisation for the organisation: it can no longer reach the organisation\'s resources (the token itself is the user\'s to delete).' };
    }
    default:
      return null;
  }
}

/** A webhook sending over plain http or with TLS verification off: turn verification on; an http:// URL is changed by hand. */
function insecureHook(f: RemediationInput, page: string | null, path: string | null): RemediationAction {
  const problems = Array.isArray(f.evidence.problems) ? f.evidence.problems : [];
  const tlsOff = problems.includes('tls-verification-off') || f.evidence.insecure_ssl === true;
  const http = problems.includes('plain-http') || f.evidence.scheme === 'http';
  return { console_url: page, command: tlsOff ? command('gh api -X PATCH', path ? `${path}/config` : null, '-f insecure_ssl=0') : null,
    note: [tlsOff ? 'Turns TLS certificate verification back on (insecure_ssl=0).' : '', http ? 'Change the payload URL to https:// on the settings page (the receiver must serve TLS).' : '']
      .filter(Boolean).join(' ') || 'Review the webhook\'s transport settings.' };
}
