// The WebAssembly toolkit of rdl's kernels: wabt assembly (SIMD) with the loop and memory helpers.
import { describe, expect, it } from 'vitest';
import { compileWat, forLoop, instantiateWat, layout, reserve } from '../../src/index.js';

// Adds two float32 arrays four lanes at a time: out = a + b.
const ADD_WAT = `
(module
  (memory (export "memory") 1)
  (func (export "add") (param $bytes i32) (param $a i32) (param $b i32) (param $out i32)
    (local $o i32)
    ${forLoop(
      '$o',
      '(local.get $bytes)',
      `
      (v128.store (i32.add (local.get $out) (local.get $o))
        (f32x4.add (v128.load (i32.add (local.get $a) (local.get $o))) (v128.load (i32.add (local.get $b) (local.get $o)))))`,
      16,
    )}))
`;

type Add = (bytes: number, a: number, b: number, out: number) => void;

describe('wasm toolkit', () => {
  it('assembles a SIMD kernel once and gives each instance its own memory', async () => {
    expect(await compileWat('test-add', ADD_WAT)).toBe(await compileWat('test-add', ADD_WAT));
    const one = await instantiateWat<{ add: Add }>('test-add', ADD_WAT);
    const two = await instantiateWat<{ add: Add }>('test-add', ADD_WAT);
    expect(one.memory).not.toBe(two.memory);
    const n = 100_003; // past one 64 KiB page, and not a whole number of vectors
    const { at, end } = layout({ a: n * 4, b: n * 4, out: n * 4 });
    expect([at.a, at.b % 16, at.out % 16]).toEqual([0, 0, 0]);
    reserve(one.memory, end);
    expect(one.memory.buffer.byteLength).toBeGreaterThanOrEqual(end);
    const f32 = new Float32Array(one.memory.buffer);
    for (let i = 0; i < n; i++) {
      f32[at.a / 4 + i] = i;
      f32[at.b / 4 + i] = 0.5 * i;
    }
    one.add(Math.ceil((n * 4) / 16) * 16, at.a, at.b, at.out);
    const out = f32.subarray(at.out / 4, at.out / 4 + n);
    expect(out[0]).toBe(0);
    expect(out[n - 1]).toBe(1.5 * (n - 1));
    expect(out.every((v, i) => v === Math.fround(1.5 * i))).toBe(true);
  });

  it('reports text that does not assemble, naming the kernel', async () => {
    await expect(compileWat('test-broken', '(module (func (export "f") (i32.add)))')).rejects.toThrow(
      /rdl wasm kernel test-broken failed to compile/,
    );
  });
});
