/**
 * WebAssembly text (SIMD) of the MC dropout head: for each pass t,
 *
 *   acc    = b1 + Σ_e scale_e · W1[row_e]        (the pass's kept, non-zero inputs only)
 *   h      = max(acc, 0) ⊙ mask2[t]
 *   out[t] = b2 + W2ᵀ · h                          (logits)
 *
 * Entries e are (byte address of a W1 row, input · first-mask value) pairs, `counts[t]` per pass,
 * so features that are zero or dropped cost nothing. Rows are added four at a time to halve the
 * loads and stores of `acc`. Every row has `bytes` = 16·nvec bytes (the hidden width padded to a
 * multiple of 4 with zeros). Addresses are absolute offsets in the module's own memory.
 */
import { forLoop } from '@rdl/runtime';

/** Runs `store` for every vector of a hidden row, $off its byte offset. */
const overRow = (store: string): string => forLoop('$off', '(local.get $bytes)', store, 16);
const acc = '(i32.add (local.get $acc) (local.get $off))';
const row = (r: string): string => `(v128.load (i32.add (local.get ${r}) (local.get $off)))`;

export const MC_HEAD_WAT = `
(module
  (memory (export "memory") 1)
  ;; Entries of every pass from the first-dropout mask [T, k] over an image's k non-zero
  ;; features (W1 row addresses $rows, values $vals): (row, value · mask) for the kept ones.
  ;; Branch-free: every pair is written, the cursor only advances past kept ones.
  (func (export "compact")
    (param $T i32) (param $k i32) (param $mask i32) (param $rows i32) (param $vals i32) (param $act i32) (param $counts i32)
    (local $t i32) (local $j i32) (local $start i32) (local $scale f32)
    ${forLoop(
      '$t',
      '(local.get $T)',
      `
      (local.set $start (local.get $act))
      ${forLoop(
        '$j',
        '(local.get $k)',
        `
        (local.set $scale
          (f32.mul (f32.load (local.get $mask)) (f32.load (i32.add (local.get $vals) (i32.shl (local.get $j) (i32.const 2))))))
        (i32.store (local.get $act) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $j) (i32.const 2)))))
        (f32.store offset=4 (local.get $act) (local.get $scale))
        (local.set $act (i32.add (local.get $act) (select (i32.const 8) (i32.const 0) (f32.ne (local.get $scale) (f32.const 0)))))
        (local.set $mask (i32.add (local.get $mask) (i32.const 4)))`,
      )}
      (i32.store (i32.add (local.get $counts) (i32.shl (local.get $t) (i32.const 2)))
        (i32.shr_u (i32.sub (local.get $act) (local.get $start)) (i32.const 3)))`,
    )})

  (func (export "head")
    (param $T i32) (param $act i32) (param $counts i32) (param $mask2 i32) (param $out i32)
    (param $b1 i32) (param $w2t i32) (param $b2 i32) (param $nvec i32) (param $C i32) (param $acc i32)
    (local $t i32) (local $n i32) (local $off i32) (local $bytes i32) (local $m i32) (local $c i32) (local $wrow i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $sum v128)
    (local.set $bytes (i32.shl (local.get $nvec) (i32.const 4)))
    ${forLoop(
      '$t',
      '(local.get $T)',
      `
      ;; acc = b1
      ${overRow(`(v128.store ${acc} ${row('$b1')})`)}
      (local.set $n (i32.load (i32.add (local.get $counts) (i32.shl (local.get $t) (i32.const 2)))))
      ;; four rows at a time
      (block $four_done
        (loop $four
          (br_if $four_done (i32.lt_u (local.get $n) (i32.const 4)))
          (local.set $r0 (i32.load (local.get $act)))
          (local.set $s0 (f32x4.splat (f32.load offset=4 (local.get $act))))
          (local.set $r1 (i32.load offset=8 (local.get $act)))
          (local.set $s1 (f32x4.splat (f32.load offset=12 (local.get $act))))
          (local.set $r2 (i32.load offset=16 (local.get $act)))
          (local.set $s2 (f32x4.splat (f32.load offset=20 (local.get $act))))
          (local.set $r3 (i32.load offset=24 (local.get $act)))
          (local.set $s3 (f32x4.splat (f32.load offset=28 (local.get $act))))
          ${overRow(`
            (v128.store ${acc}
              (f32x4.add
                (f32x4.add
                  (v128.load ${acc})
                  (f32x4.add (f32x4.mul (local.get $s0) ${row('$r0')}) (f32x4.mul (local.get $s1) ${row('$r1')})))
                (f32x4.add (f32x4.mul (local.get $s2) ${row('$r2')}) (f32x4.mul (local.get $s3) ${row('$r3')}))))`)}
          (local.set $act (i32.add (local.get $act) (i32.const 32)))
          (local.set $n (i32.sub (local.get $n) (i32.const 4)))
          (br $four)))
      ;; the remaining rows one by one
      (block $one_done
        (loop $one
          (br_if $one_done (i32.eqz (local.get $n)))
          (local.set $r0 (i32.load (local.get $act)))
          (local.set $s0 (f32x4.splat (f32.load offset=4 (local.get $act))))
          ${overRow(`(v128.store ${acc} (f32x4.add (v128.load ${acc}) (f32x4.mul (local.get $s0) ${row('$r0')})))`)}
          (local.set $act (i32.add (local.get $act) (i32.const 8)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $one)))
      ;; acc = relu(acc) * mask2[t]
      (local.set $m (i32.add (local.get $mask2) (i32.mul (local.get $t) (local.get $bytes))))
      ${overRow(`(v128.store ${acc} (f32x4.mul (f32x4.max (v128.load ${acc}) (v128.const f32x4 0 0 0 0)) ${row('$m')}))`)}
      ;; logits: one dot product per class
      (local.set $wrow (local.get $w2t))
      ${forLoop(
        '$c',
        '(local.get $C)',
        `
        (local.set $sum (v128.const f32x4 0 0 0 0))
        ${overRow(`(local.set $sum (f32x4.add (local.get $sum) (f32x4.mul (v128.load ${acc}) ${row('$wrow')})))`)}
        (f32.store (local.get $out)
          (f32.add
            (f32.load (i32.add (local.get $b2) (i32.shl (local.get $c) (i32.const 2))))
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
              (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum))))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $wrow (i32.add (local.get $wrow) (local.get $bytes)))`,
      )}`,
    )}))
`;
