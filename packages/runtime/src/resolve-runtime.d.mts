export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface ResolvedRuntime {
  backend: BackendName;
  /** Threads LeNet work uses: 1 on tensorflow, else RDL_THREADS or min(2, available cores). */
  threads: number;
}

export declare const BACKENDS: readonly BackendName[];
export declare const MAX_DEFAULT_THREADS: number;

/** `RDL_BACKEND`, validated; undefined when unset or blank. */
export declare function backendFromEnv(value: string | undefined): BackendName | undefined;

/** `RDL_THREADS`, validated (an integer from 1 to 64); undefined when unset or blank. */
export declare function threadsFromEnv(value: string | undefined): number | undefined;

/** Whether `@tensorflow/tfjs-node` actually loads here. */
export declare function tfjsNodeLoads(): boolean;

/** The backend and thread count a process with `env` uses (the rules of @rdl/models' initBackend). */
export declare function resolveRuntime(env?: Record<string, string | undefined>): ResolvedRuntime;
