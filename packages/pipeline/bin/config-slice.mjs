#!/usr/bin/env node
// Nx runtime input of each stage target: prints the part of the config that stage depends on,
// so editing one stage's section reruns that stage (and, through its outputs, its descendants) only.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { CONFIG_ENV, overridesFromEnv, resolveRawConfig, stageSlice } from '../src/config/raw-config.mjs';

const [pipeline, stage] = process.argv.slice(2);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
try {
  const { raw } = resolveRawConfig({ root, pipeline, configRef: process.env[CONFIG_ENV], overrides: overridesFromEnv() });
  process.stdout.write(JSON.stringify(stageSlice(raw, stage)) + '\n');
} catch (error) {
  process.stderr.write(`rdl: ${error.message}\n`);
  process.exit(1);
}
