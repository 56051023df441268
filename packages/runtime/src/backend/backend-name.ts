/** The tfjs backends rdl starts, fastest first, and the parsing of `RDL_BACKEND`. */

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** In the order `initBackend` tries them. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export function isBackendName(value: unknown): value is BackendName {
  return (BACKEND_NAMES as readonly unknown[]).includes(value);
}

/** Parses `RDL_BACKEND`; undefined when unset or empty. */
export function backendFromEnv(value: string | undefined = process.env.RDL_BACKEND): BackendName | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (isBackendName(v)) return v;
  throw new Error(`RDL_BACKEND must be one of tensorflow, wasm, cpu (got "${value}")`);
}
