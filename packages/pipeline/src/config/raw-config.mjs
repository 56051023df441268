// Plain JavaScript on purpose: Nx runs `bin/stage-key.mjs` as a runtime input of every stage
// target, so this must start in milliseconds without a TypeScript loader. The typed runner imports
// this same module, so the file Nx hashes and the file a stage reads are chosen by one piece of code.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Environment variables through which the CLI passes --config and --set to every Nx task. */
export const CONFIG_ENV = 'RDL_CONFIG';
export const SET_ENV = 'RDL_SET';

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `smoke` → configs/<pipeline>.smoke.json; anything with a slash or .json is a path. */
export function configFileFor(root, pipeline, configRef) {
  if (!configRef) return join(root, 'configs', `${pipeline}.json`);
  if (configRef.includes('/') || configRef.endsWith('.json')) return isAbsolute(configRef) ? configRef : resolve(root, configRef);
  return join(root, 'configs', `${pipeline}.${configRef}.json`);
}

function readJson(file) {
  if (!existsSync(file)) throw new ConfigError(`config file not found: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${error.message})`);
  }
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base, over) {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? deepMerge(base[key], value) : value;
  return out;
}

/** Reads a config file, following `extends` (relative to the file) so profiles hold only what they change. */
export function readConfigFile(file, seen = []) {
  if (seen.includes(file)) throw new ConfigError(`${file}: 'extends' forms a cycle`);
  const json = readJson(file);
  if (!isPlainObject(json)) throw new ConfigError(`${file}: the top level must be an object`);
  const { extends: parent, ...own } = json;
  if (parent === undefined) return own;
  if (typeof parent !== 'string') throw new ConfigError(`${file}: extends: expected a file name`);
  return deepMerge(readConfigFile(resolve(dirname(file), parent), [...seen, file]), own);
}

/** Parses `a.b.c=value` overrides; the value is JSON when it parses as JSON, else a string. */
export function parseOverrides(list) {
  return list.map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set ${entry}: expected key=value, e.g. --set fit-linear.alpha=2`);
    const path = entry.slice(0, eq).trim();
    const text = entry.slice(eq + 1);
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    return { path: path.split('.'), value };
  });
}

/** `seed=3` sets the seed; `<stage>.<field>=v` sets a stage field. */
export function applyOverrides(raw, overrides) {
  let out = raw;
  for (const { path, value } of overrides) {
    const fullPath = path.length === 1 && path[0] === 'seed' ? path : ['stages', ...path];
    let patch = value;
    for (let i = fullPath.length - 1; i >= 0; i--) patch = { [fullPath[i]]: patch };
    out = deepMerge(out, patch);
  }
  return out;
}

export function overridesFromEnv(env = process.env) {
  const text = env[SET_ENV];
  if (!text) return [];
  let list;
  try {
    list = JSON.parse(text);
  } catch {
    throw new ConfigError(`${SET_ENV} must be a JSON array of "key=value" strings`);
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw new ConfigError(`${SET_ENV} must be a JSON array of "key=value" strings`);
  }
  return parseOverrides(list);
}

/** The whole raw config of a pipeline with profile and overrides applied; not yet validated. */
export function resolveRawConfig({ root, pipeline, configRef, overrides }) {
  const file = configFileFor(root, pipeline, configRef);
  const raw = applyOverrides(readConfigFile(file), overrides ?? []);
  return { file, raw };
}

/** What one stage's result depends on in the config: the seed and its own section. */
export function stageSlice(raw, stage) {
  const stages = isPlainObject(raw.stages) ? raw.stages : {};
  return { seed: raw.seed, config: stages[stage] ?? {} };
}

/** What a study stage's result depends on in the config: the seed and the `study` section. */
export function studySlice(raw) {
  return { seed: raw.seed, study: isPlainObject(raw.study) ? raw.study : null };
}
