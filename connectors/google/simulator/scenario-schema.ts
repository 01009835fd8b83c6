// Validates the Google block of a scenario file (zod): the block and its own structures are strict, each
// vendor object requires the fields GoogleScenario requires (typed as the googleapis `Schema$…` types type
// them) and refuses near-miss keys; the schema's output is assignable to GoogleScenario (compile-time check).
import { z } from 'zod';
import type { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import type { iam_v1 } from '@googleapis/iam';
import type { cloudresourcemanager_v3 } from '@googleapis/cloudresourcemanager';
import { keyed, mapping, vendorObject, type Assignable } from '../../../src/simulator/scenario-schema.ts';
import type { GoogleScenario } from './scenario.ts';

type Dir = admin_directory_v1.Schema$User;
const text = z.string().min(1);
const strings = z.array(z.string());
const user = vendorObject<Dir>()({ id: text, primaryEmail: text, suspended: z.boolean().nullable().optional(), isAdmin: z.boolean().nullable().optional() },
  ['name', 'isDelegatedAdmin', 'archived', 'aliases', 'emails', 'creationTime', 'deletionTime', 'lastLoginTime', 'orgUnitPath', 'isEnrolledIn2Sv',
    'isEnforcedIn2Sv', 'customerId', 'suspensionReason']);
const quota = z.strictObject({ limit: z.number().int().positive(), windowMs: z.number().int().positive(), answer: z.union([z.literal(429), z.literal(403)]).optional() });
const pageSize = z.number().int().positive().optional();

// an IAM policy has few fields: strict, all of them (a project's and a service account's are the same shape)
const iamPolicy = z.strictObject({
  version: z.number().int().optional(), etag: z.string().optional(), auditConfigs: z.array(mapping<cloudresourcemanager_v3.Schema$AuditConfig>()).optional(),
  bindings: z.array(z.strictObject({ role: text, members: strings, condition: mapping<cloudresourcemanager_v3.Schema$Expr>().optional() })).optional(),
});

export const googleScenarioSchema = z.strictObject({
  customer: vendorObject<admin_directory_v1.Schema$Customer>()({ id: text, customerDomain: text },
    ['customerCreationTime', 'language', 'alternateEmail', 'postalAddress', 'phoneNumber']),
  users: z.array(user),
  deletedUsers: z.array(user).optional(),
  tokens: keyed(z.array(vendorObject<admin_directory_v1.Schema$Token>()({ clientId: text, scopes: strings },
    ['displayText', 'nativeApp', 'anonymous', 'etag', 'userKey', 'kind']))).optional(),
  tokenEvents: z.array(vendorObject<admin_reports_v1.Schema$Activity>()({
    id: mapping<NonNullable<admin_reports_v1.Schema$Activity['id']>>(), actor: mapping<NonNullable<admin_reports_v1.Schema$Activity['actor']>>(),
    events: z.array(mapping<NonNullable<admin_reports_v1.Schema$Activity['events']>[number]>()),
  }, ['ipAddress', 'ownerDomain', 'etag', 'kind'])).optional(),
  projects: z.array(vendorObject<cloudresourcemanager_v3.Schema$Project>()({ name: text, projectId: text },
    ['displayName', 'parent', 'state', 'createTime', 'updateTime', 'deleteTime', 'labels', 'etag'])).optional(),
  serviceAccounts: keyed(z.array(vendorObject<iam_v1.Schema$ServiceAccount>()({ name: text, email: text, uniqueId: text, disabled: z.boolean().nullable().optional() },
    ['projectId', 'oauth2ClientId', 'displayName', 'etag', 'description']))).optional(),
  keys: keyed(z.array(vendorObject<iam_v1.Schema$ServiceAccountKey>()({ name: text, keyType: text, disabled: z.boolean().nullable().optional() },
    ['keyOrigin', 'keyAlgorithm', 'validAfterTime', 'validBeforeTime', 'privateKeyType', 'publicKeyData']))).optional(),
  iamPolicies: keyed(iamPolicy).optional(),
  workloadIdentityPools: keyed(z.array(vendorObject<iam_v1.Schema$WorkloadIdentityPool>()({ name: text, disabled: z.boolean().nullable().optional() },
    ['displayName', 'description', 'state', 'expireTime', 'mode']))).optional(),
  workloadIdentityPoolProviders: keyed(z.array(vendorObject<iam_v1.Schema$WorkloadIdentityPoolProvider>()({
    name: text, disabled: z.boolean().nullable().optional(), attributeMapping: z.record(z.string(), z.string()).nullable().optional(),
    attributeCondition: z.string().nullable().optional(), oidc: mapping<iam_v1.Schema$Oidc>().optional(), aws: mapping<iam_v1.Schema$Aws>().optional(),
  }, ['displayName', 'description', 'state', 'expireTime', 'saml', 'x509']))).optional(),
  serviceAccountIamPolicies: keyed(iamPolicy).optional(),
  cloudAuditLog: z.array(z.looseObject({ logName: text, timestamp: text, insertId: text })).optional(),
  domainWideDelegation: z.array(z.strictObject({ clientId: text, scopes: strings, note: z.string().optional() })).optional(),
  quotas: z.strictObject({ directory: quota.optional(), reports: quota.optional(), iam: quota.optional(), resourceManager: quota.optional(), logging: quota.optional() }).optional(),
  maxPageSize: z.strictObject({ users: pageSize, activities: pageSize, projects: pageSize, serviceAccounts: pageSize,
    workloadIdentityPools: pageSize, workloadIdentityPoolProviders: pageSize }).optional(),
});

const _typed: Assignable<z.output<typeof googleScenarioSchema>, GoogleScenario> = true;
void _typed;
