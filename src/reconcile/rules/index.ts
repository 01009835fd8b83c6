// Every reconciliation rule, in report order. Adding a rule = one file here + its tests + its section in
// docs/risk-catalogue.md §3 (why, threshold and source, severity, OWASP NHI / NIST CSF references).
import type { RuleSpec } from '../rule.ts';
import { agentPersonalCredential } from './agent-personal-credential.ts';
import { aiAgentExcessiveAgency } from './ai-agent-excessive-agency.ts';
import { approvalExpired } from './approval-expired.ts';
import { approvedNotFound } from './approved-not-found.ts';
import { crossProviderEscalation } from './cross-provider-escalation.ts';
import { credentialDormant } from './credential-dormant.ts';
import { credentialExpired } from './credential-expired.ts';
import { credentialExpiring } from './credential-expiring.ts';
import { credentialLifetimeExcessive } from './credential-lifetime-excessive.ts';
import { credentialNoExpiry } from './credential-no-expiry.ts';
import { credentialRotation } from './credential-rotation.ts';
import { dataForwarding } from './data-forwarding.ts';
import { federationBroadSubject } from './federation-broad-subject.ts';
import { federationUntrustedIssuer } from './federation-untrusted-issuer.ts';
import { highRiskPermission } from './high-risk-permission.ts';
import { multipleActiveSecrets } from './multiple-active-secrets.ts';
import { orphanedConnector } from './orphaned-connector.ts';
import { scopeChange } from './scope-change.ts';
import { scopeDrift } from './scope-drift.ts';
import { staticSecret } from './static-secret.ts';
import { unapprovedConnector } from './unapproved-connector.ts';
import { webhookInsecureTransport } from './webhook-insecure-transport.ts';

export const RULES: RuleSpec[] = [
  unapprovedConnector, orphanedConnector, approvalExpired, approvedNotFound, scopeDrift, scopeChange, highRiskPermission,
  credentialRotation, credentialNoExpiry, credentialLifetimeExcessive, credentialExpiring, credentialExpired, credentialDormant, multipleActiveSecrets, dataForwarding, webhookInsecureTransport, staticSecret,
  aiAgentExcessiveAgency, agentPersonalCredential, federationBroadSubject, federationUntrustedIssuer, crossProviderEscalation,
];
