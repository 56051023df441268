// Prints vitest's JSON report as the plain line CI reads: "N passed, N failed[, N skipped]".
// A test file that fails outside its tests (a broken import, a failing beforeAll that leaves its
// tests skipped) counts as a failure, so it is never silent.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tmp/vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no readable vitest report at ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failedTests = report.numFailedTests ?? 0;
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const failed = failedTests + brokenFiles;
if (brokenFiles > 0) console.error(`${brokenFiles} test file(s) failed outside their tests`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(passed > 0 && failed === 0 ? 0 : 1);
