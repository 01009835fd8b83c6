// What a connector is for: the categories a connector can be classified in (docs/reconcile.md "Connector categories"),
// and the shape of a provider's category catalogue (connectors/<p>/categories.ts): which publisher's app each known
// identifier is, with the public page that shows the identifier. Provider-neutral; the data lives beside each connector.

/** Every category, with what it means (the inventory's `category:` and the catalogue use these ids). */
export const CATEGORY_DESCRIPTIONS = {
  'ai-assistant': 'an AI assistant or chatbot that reads and answers over the data it is given (chat, documents, mail)',
  'coding-agent': 'an AI agent that reads, reviews or changes code: opens pull requests, pushes commits, comments on reviews',
  'meeting-recorder': 'an AI notetaker that joins or records meetings and calls and writes transcripts and summaries',
  'automation-platform': 'a general workflow or integration platform that moves data between services on triggers',
  'ci-cd': 'builds, tests, deploys or reports on code changes and releases',
  chat: 'a messaging or collaboration tool',
  data: 'stores, syncs, analyses or exports data (file storage, warehouses, BI, backups)',
  security: 'scans, monitors or protects (vulnerability scanning, secret scanning, posture management)',
  other: 'known, but none of the above',
} as const;

export type Category = keyof typeof CATEGORY_DESCRIPTIONS;
export const CATEGORIES = Object.keys(CATEGORY_DESCRIPTIONS) as Category[];

/** Categories whose connectors are AI agents (the ai-agent-excessive-agency rule judges these). */
export const AI_CATEGORIES: readonly Category[] = ['ai-assistant', 'coding-agent', 'meeting-recorder'];

export const isCategory = (v: unknown): v is Category => typeof v === 'string' && Object.hasOwn(CATEGORY_DESCRIPTIONS, v);

/** One known app: who publishes it, what it is for, how a connector is recognised as it, and where that is shown publicly. */
export interface CategoryEntry {
  /** The product as its publisher names it. */
  product: string;
  publisher: string;
  category: Category;
  /**
   * 'id' (default): `id` is compared (case-insensitively) with the connector property the provider's catalogue names
   * as its key. 'name': no identifier could be verified; `names` are compared with the connector's name and vendor as
   * whole words, and every finding says "matched by name".
   */
  match?: 'id' | 'name';
  id?: string;
  names?: readonly string[];
  /** A public URL that shows the identifier (for a name match: the publisher's page for the product). */
  source: string;
  note?: string;
}

/** One provider's category catalogue (connectors/<p>/categories.ts, default export), registered through its spec. */
export interface ProviderCategories {
  provider: string;
  /** The connector properties an entry's `id` is compared with, in order (e.g. the app slug, the app id). */
  keyFields: readonly string[];
  /** What the key is, in words ("app slug (github.com/apps/<slug>)"). */
  key: string;
  entries: readonly CategoryEntry[];
}
