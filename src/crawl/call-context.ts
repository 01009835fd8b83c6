// Attributes API calls, 304s and retries to the listing that made them, without threading a context
// through every SDK call: the engine runs each listing inside AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallStats { apiCalls: number; notModified: number; retries: number }

const storage = new AsyncLocalStorage<CallStats>();
const unattributed: CallStats = { apiCalls: 0, notModified: 0, retries: 0 };

export function withCallStats<T>(stats: CallStats, fn: () => Promise<T>): Promise<T> {
  return storage.run(stats, fn);
}

export function currentCallStats(): CallStats {
  return storage.getStore() ?? unattributed;
}
