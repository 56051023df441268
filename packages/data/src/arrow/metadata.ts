import { Schema, Table } from 'apache-arrow';
import { z } from 'zod';

/** Schema-metadata key under which every rdl table describes the dataset it holds. */
export const DATASET_METADATA_KEY = 'rdl.dataset';

export const datasetDescriptionSchema = z.object({
  name: z.string().min(1),
  /** Generator or loader parameters, JSON-serialisable. */
  params: z.record(z.string(), z.unknown()).default({}),
  seed: z.number().int().optional(),
  source: z.string().optional(),
});
export type DatasetDescription = z.infer<typeof datasetDescriptionSchema>;

/** Returns the same columns with the description stored in the schema metadata. */
export function withDatasetDescription<T extends Table>(table: T, description: DatasetDescription): T {
  const metadata = new Map(table.schema.metadata);
  metadata.set(DATASET_METADATA_KEY, JSON.stringify(datasetDescriptionSchema.parse(description)));
  const schema = new Schema(table.schema.fields, metadata);
  return new Table(schema, table.batches) as T;
}

/** Reads the description back; a table without one, or with a malformed one, is an error. */
export function readDatasetDescription(table: Table): DatasetDescription {
  const raw = table.schema.metadata.get(DATASET_METADATA_KEY);
  if (raw === undefined) throw new Error(`table has no '${DATASET_METADATA_KEY}' schema metadata`);
  const parsed = datasetDescriptionSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`table metadata '${DATASET_METADATA_KEY}': ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}
