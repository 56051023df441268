import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { decodeTable, encodeTable } from '@rdl/data';
import type { Table } from 'apache-arrow';
import { artifactFiles, type ArtifactKind, type BinaryArtifact, type Figure, type OutputSpec } from './artifacts.js';

export const ARTIFACTS_DIR = 'artifacts';
/** Work in progress lives here, outside every stage folder, so Nx and readers never see it. */
export const STAGING_DIR = join(ARTIFACTS_DIR, '.staging');

export function stageDir(root: string, pipeline: string, stage: string): string {
  return join(root, ARTIFACTS_DIR, pipeline, stage);
}

export function outputsDir(root: string, pipeline: string, stage: string): string {
  return join(stageDir(root, pipeline, stage), 'outputs');
}

export interface WrittenFile {
  file: string;
  bytes: number;
  sha256: string;
}

function encode(name: string, kind: ArtifactKind<unknown>, value: unknown): Array<[string, Uint8Array | string]> {
  const [first, second] = artifactFiles(name, kind);
  switch (kind.kind) {
    case 'json':
      return [[first!, JSON.stringify(kind.schema.parse(value), null, 2) + '\n']];
    case 'table':
      return [[first!, encodeTable(value as Table)]];
    case 'binary': {
      const blob = value as BinaryArtifact;
      return [
        [first!, blob.manifest],
        [second!, blob.data],
      ];
    }
    case 'figure': {
      const figure = value as Figure;
      return [
        [first!, figure.svg],
        [second!, figure.png],
      ];
    }
    case 'text':
      return [[first!, value as string]];
  }
}

/** Writes every declared output into `dir`; a missing or extra output is a bug in the stage. */
export async function writeOutputs(dir: string, spec: OutputSpec, values: Record<string, unknown>): Promise<WrittenFile[]> {
  for (const key of Object.keys(values)) if (!(key in spec)) throw new Error(`stage returned an undeclared output '${key}'`);
  await mkdir(dir, { recursive: true });
  const written: WrittenFile[] = [];
  for (const [name, kind] of Object.entries(spec)) {
    if (values[name] === undefined) throw new Error(`stage did not return its declared output '${name}'`);
    for (const [file, content] of encode(name, kind, values[name])) {
      await writeFile(join(dir, file), content);
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      written.push({ file, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return written;
}

async function readRequired(path: string, root: string, producer: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new Error(`${relative(root, path)} is missing: run the '${producer}' stage first (npx nx run pipeline:${producer})`);
  }
}

/** Reads a stage's outputs back, typed by its spec and validated (JSON by its zod schema). */
export async function readOutputs(root: string, pipeline: string, stage: string, spec: OutputSpec): Promise<Record<string, unknown>> {
  const dir = outputsDir(root, pipeline, stage);
  const values: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(spec)) {
    const files = artifactFiles(name, kind).map((f) => join(dir, f));
    const where = relative(root, files[0]!);
    switch (kind.kind) {
      case 'json': {
        const text = (await readRequired(files[0]!, root, stage)).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new Error(`${where}: not valid JSON`);
        }
        const parsed = kind.schema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new Error(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
        }
        values[name] = parsed.data;
        break;
      }
      case 'table': {
        const bytes = await readRequired(files[0]!, root, stage);
        values[name] = decodeTable(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), where);
        break;
      }
      case 'binary': {
        const manifest = (await readRequired(files[0]!, root, stage)).toString('utf8');
        const data = await readRequired(files[1]!, root, stage);
        values[name] = { manifest, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) } satisfies BinaryArtifact;
        break;
      }
      case 'figure': {
        const svg = (await readRequired(files[0]!, root, stage)).toString('utf8');
        const png = await readRequired(files[1]!, root, stage);
        values[name] = { svg, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) } satisfies Figure;
        break;
      }
      case 'text':
        values[name] = (await readRequired(files[0]!, root, stage)).toString('utf8');
        break;
    }
  }
  return values;
}

/** A fresh, private folder for one run of one stage. */
export async function createStaging(root: string, pipeline: string, stage: string): Promise<string> {
  const dir = join(root, STAGING_DIR, `${pipeline}.${stage}.${process.pid}.${Date.now().toString(36)}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Moves a finished staging folder into place; the rename is atomic on one file system. */
export async function publishStaging(staging: string, target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await mkdir(join(target, '..'), { recursive: true });
  await rename(staging, target);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging folders left by killed runs (their process is gone). */
export async function sweepStaleStaging(root: string): Promise<number> {
  const dir = join(root, STAGING_DIR);
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const entry of await readdir(dir)) {
    const pid = Number(entry.split('.').at(-2));
    if (!Number.isInteger(pid) || pid === process.pid || !isAlive(pid)) {
      if (pid === process.pid) continue;
      await rm(join(dir, entry), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
