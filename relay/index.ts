import { createRelayHandler, type RelayHandler, type RequestInfo } from './handler.ts';
import { type NodeHandler, nodeHandler } from './node.ts';
import type { RelayOptions } from './options.ts';

/**
 * `dify-chatbot-embed/relay`: keep the Dify app's secret key on your server. The widget points its
 * `apiBaseUrl` here and speaks the web API as usual; the relay checks the page's origin, turns a
 * visitor identity signed by your backend (or none: an anonymous id of its own) into the `user`
 * Dify sees, adds the inputs the page must not control, counts per-visitor and per-IP limits
 * (in memory, or in Redis with `redisUrl`), and calls Dify's service API with the key.
 */
export interface Relay extends RelayHandler {
  /** The same relay as a node:http listener / Express middleware. */
  node: NodeHandler;
}

export function createRelay(options: RelayOptions): Relay {
  const handler = createRelayHandler(options);
  return { ...handler, node: nodeHandler(handler) };
}

export type { RelayOptions, Visitor } from './options.ts';
export type { RequestInfo };
export type { Limit, Limiter, LimitVerdict } from './limits.ts';
export { MemoryLimiter } from './limits.ts';
export { RedisLimiter } from './redis-limiter.ts';
export { signVisitor, verifyVisitor } from './identity.ts';
export { optionsFromEnv } from './options.ts';
export { redact } from './redact.ts';
export type { NodeHandler };
