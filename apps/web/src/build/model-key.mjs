// Nx runtime input of web:build: the exported model's hash. artifacts/ is git-ignored, so a file
// input never sees it, and a site cached before `rdl web export` would be restored without weights.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const file = new URL('../../../../artifacts/web/model/model.js', import.meta.url);
process.stdout.write(existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'no exported model');
