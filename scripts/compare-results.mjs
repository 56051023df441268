#!/usr/bin/env node
// Compares two results.json files number by number: `node scripts/compare-results.mjs OLD NEW [--tol 1e-6]`.
// Timings and other run facts (keys matching /seconds|duration|perSec|imagesPerSec|ms$/i) are ignored,
// because they are facts of a run, not results. Exits 1 and lists the differences if any.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const tolIndex = args.indexOf('--tol');
const tolerance = tolIndex >= 0 ? Number(args[tolIndex + 1]) : 1e-6;
const [oldFile, newFile] = tolIndex >= 0 ? args.filter((_, i) => i !== tolIndex && i !== tolIndex + 1) : args;
if (!oldFile || !newFile || !Number.isFinite(tolerance)) {
  process.stderr.write('usage: compare-results.mjs OLD NEW [--tol 1e-6]\n');
  process.exit(2);
}
const RUN_FACT = /seconds|duration|persec|ms$|startedat|backend|threads/i;
const differences = [];
let compared = 0;
function walk(a, b, path) {
  if (RUN_FACT.test(path.split('.').pop() ?? '')) return;
  if (typeof a === 'number' && typeof b === 'number') {
    compared++;
    const scale = Math.max(1, Math.abs(a), Math.abs(b));
    if (!(Math.abs(a - b) <= tolerance * scale) && !(Number.isNaN(a) && Number.isNaN(b))) differences.push(`${path}: ${a} → ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) differences.push(`${path}: length ${a.length} → ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (RUN_FACT.test(key)) continue;
      if (!(key in a) || !(key in b)) differences.push(`${path}.${key}: ${key in a ? 'removed' : 'added'}`);
      else walk(a[key], b[key], `${path}.${key}`);
    }
    return;
  }
  if (a !== b) differences.push(`${path}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
}
walk(JSON.parse(readFileSync(oldFile, 'utf8')), JSON.parse(readFileSync(newFile, 'utf8')), '$');
process.stdout.write(`${compared} numbers compared (relative tolerance ${tolerance}), ${differences.length} differences\n`);
for (const d of differences) process.stdout.write(`  ${d}\n`);
process.exit(differences.length ? 1 : 0);
