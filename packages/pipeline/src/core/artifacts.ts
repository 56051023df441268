import type { Table } from 'apache-arrow';
import type { z } from 'zod';

/**
 * What a stage can hand to its descendants. Each kind knows how it is stored, so a downstream
 * stage receives the same typed value the upstream one returned, read back from disk.
 */
export type ArtifactKind<T> =
  | { kind: 'json'; schema: z.ZodType<T> }
  | { kind: 'table' }
  | { kind: 'binary' }
  | { kind: 'figure' }
  | { kind: 'text'; extension: string };

export interface Figure {
  svg: string;
  png: Uint8Array;
}

/** Model weights or any blob: a JSON manifest plus the raw bytes it describes. */
export interface BinaryArtifact {
  manifest: string;
  data: Uint8Array;
}

export const artifact = {
  json: <T>(schema: z.ZodType<T>): ArtifactKind<T> => ({ kind: 'json', schema }),
  table: (): ArtifactKind<Table> => ({ kind: 'table' }) as ArtifactKind<Table>,
  binary: (): ArtifactKind<BinaryArtifact> => ({ kind: 'binary' }) as ArtifactKind<BinaryArtifact>,
  figure: (): ArtifactKind<Figure> => ({ kind: 'figure' }) as ArtifactKind<Figure>,
  text: (extension: string): ArtifactKind<string> => ({ kind: 'text', extension }) as ArtifactKind<string>,
};

export type OutputSpec = Record<string, ArtifactKind<unknown>>;
export type OutputValues<O extends OutputSpec> = { [K in keyof O]: O[K] extends ArtifactKind<infer T> ? T : never };

/** File names an output occupies inside the stage's `outputs/` folder. */
export function artifactFiles(name: string, kind: ArtifactKind<unknown>): string[] {
  switch (kind.kind) {
    case 'json':
      return [`${name}.json`];
    case 'table':
      return [`${name}.arrow`];
    case 'binary':
      return [`${name}.manifest.json`, `${name}.bin`];
    case 'figure':
      return [`${name}.svg`, `${name}.png`];
    case 'text':
      return [`${name}.${kind.extension}`];
  }
}
