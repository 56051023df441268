export declare const CONFIG_ENV: 'RDL_CONFIG';
export declare const SET_ENV: 'RDL_SET';
export declare class ConfigError extends Error {}
export interface Override {
  path: string[];
  value: unknown;
}
export type RawConfig = Record<string, unknown>;
export declare function configFileFor(root: string, pipeline: string, configRef?: string): string;
export declare function readConfigFile(file: string): RawConfig;
export declare function parseOverrides(list: string[]): Override[];
export declare function applyOverrides(raw: RawConfig, overrides: Override[]): RawConfig;
export declare function overridesFromEnv(env?: Record<string, string | undefined>): Override[];
export declare function resolveRawConfig(options: { root: string; pipeline: string; configRef?: string; overrides?: Override[] }): {
  file: string;
  raw: RawConfig;
};
export declare function stageSlice(raw: RawConfig, stage: string): { seed: unknown; config: unknown };
export declare function studySlice(raw: RawConfig): { seed: unknown; study: unknown };
