export { BodyCheck, BodyError, isUnsafeEntryName, type BodyCheckOptions } from './body-check.js';
export { HASH_PATTERN, isNxHash } from './hash.js';
export { serve, type ServeOptions, type RunningServer } from './serve.js';
export {
  createCacheServer,
  DEFAULT_EVICT_EVERY_MS,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_TOTAL_BYTES,
  type CacheServer,
  type CacheServerOptions,
} from './server.js';
export { DiskStore, type EvictionReport, type PutResult, type StoreOptions } from './store.js';
export {
  loadTokens,
  parseTokens,
  SCOPE_PATTERN,
  TokensFileError,
  TokenTable,
  tokensFileSchema,
  type Grant,
  type TokensFile,
} from './tokens.js';
export { formatBytes, parseDuration, parseSize } from './units.js';
