/**
 * Weight (de)serialisation: a JSON manifest (names, shapes, byte offsets) plus one little-endian
 * float32 blob. Pure functions; the pipeline decides where the bytes go.
 */
import { z } from 'zod';

export interface SerializedWeight {
  shape: number[];
  values: Float32Array;
}

export type SerializedWeightMap = Record<string, SerializedWeight>;

export interface SerializedWeights {
  /** JSON text, see `manifestSchema`. */
  manifest: string;
  data: Uint8Array;
}

const manifestSchema = z.object({
  format: z.literal('rdl-weights'),
  version: z.literal(1),
  byteLength: z.number().int().nonnegative(),
  weights: z.array(
    z.object({
      name: z.string().min(1),
      shape: z.array(z.number().int().nonnegative()),
      offset: z.number().int().nonnegative(),
      byteLength: z.number().int().nonnegative(),
    }),
  ),
});

export type WeightsManifest = z.infer<typeof manifestSchema>;

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export function serializeWeights(w: SerializedWeightMap): SerializedWeights {
  const entries = Object.entries(w);
  const weights: WeightsManifest['weights'] = [];
  let offset = 0;
  for (const [name, { shape, values }] of entries) {
    if (!(values instanceof Float32Array)) throw new Error(`weight "${name}": values must be a Float32Array`);
    if (sizeOf(shape) !== values.length) {
      throw new Error(`weight "${name}": shape [${shape}] needs ${sizeOf(shape)} values, got ${values.length}`);
    }
    weights.push({ name, shape: [...shape], offset, byteLength: values.length * 4 });
    offset += values.length * 4;
  }
  const data = new Uint8Array(offset);
  const view = new DataView(data.buffer);
  for (let i = 0; i < entries.length; i++) {
    const values = entries[i][1].values;
    const base = weights[i].offset;
    for (let j = 0; j < values.length; j++) view.setFloat32(base + 4 * j, values[j], true);
  }
  const manifest: WeightsManifest = { format: 'rdl-weights', version: 1, byteLength: offset, weights };
  return { manifest: JSON.stringify(manifest), data };
}

export function deserializeWeights(manifest: string, data: Uint8Array): SerializedWeightMap {
  let json: unknown;
  try {
    json = JSON.parse(manifest);
  } catch (err) {
    throw new Error(`weights manifest is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`weights manifest field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  const m = parsed.data;
  if (data.byteLength !== m.byteLength) {
    throw new Error(`weights data has ${data.byteLength} bytes, the manifest says ${m.byteLength}`);
  }
  const out: SerializedWeightMap = {};
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let expectedOffset = 0;
  for (const w of m.weights) {
    if (w.name in out) throw new Error(`weights manifest names "${w.name}" twice`);
    const n = sizeOf(w.shape);
    if (w.byteLength !== n * 4) {
      throw new Error(`weight "${w.name}": shape [${w.shape}] needs ${n * 4} bytes, the manifest says ${w.byteLength}`);
    }
    if (w.offset !== expectedOffset) throw new Error(`weight "${w.name}": offset ${w.offset}, expected ${expectedOffset}`);
    const values = new Float32Array(n);
    for (let j = 0; j < n; j++) values[j] = view.getFloat32(w.offset + 4 * j, true);
    out[w.name] = { shape: [...w.shape], values };
    expectedOffset += w.byteLength;
  }
  if (expectedOffset !== m.byteLength) {
    throw new Error(`weights manifest entries cover ${expectedOffset} bytes, byteLength says ${m.byteLength}`);
  }
  return out;
}
