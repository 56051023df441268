/**
 * WebAssembly text (SIMD) of an Adam step on float32 arrays, in the order of tf.train.adam's
 * tensor ops:
 *
 *   m = β1·m + (1−β1)·g      v = β2·v + (1−β2)·g²
 *   w = (m / c1) / (sqrt(v / c2) + ε) · (−lr) + w      (c1 = 1 − β1^t, c2 = 1 − β2^t)
 *
 * and the sum of gradient parts (`accumulate`: g += p). Arrays are padded to whole vectors.
 */
import { forLoop } from '@rdl/runtime';

const at = (base: string): string => `(i32.add (local.get ${base}) (local.get $o))`;

export const ADAM_WAT = `
(module
  (memory (export "memory") 1)
  (func (export "accumulate") (param $bytes i32) (param $g i32) (param $p i32)
    (local $o i32)
    ${forLoop('$o', '(local.get $bytes)', `(v128.store ${at('$g')} (f32x4.add (v128.load ${at('$g')}) (v128.load ${at('$p')})))`, 16)})
  (func (export "step")
    (param $bytes i32) (param $w i32) (param $m i32) (param $v i32) (param $g i32)
    (param $lr f32) (param $c1 f32) (param $c2 f32) (param $beta1 f32) (param $beta2 f32) (param $eps f32)
    (local $o i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1 v128) (local $b2 v128) (local $nb1 v128) (local $nb2 v128) (local $k1 v128) (local $k2 v128) (local $e v128) (local $nlr v128)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $nb1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $nb2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $k1 (f32x4.splat (local.get $c1)))
    (local.set $k2 (f32x4.splat (local.get $c2)))
    (local.set $e (f32x4.splat (local.get $eps)))
    (local.set $nlr (f32x4.splat (f32.neg (local.get $lr))))
    ${forLoop(
      '$o',
      '(local.get $bytes)',
      `
      (local.set $gv (v128.load ${at('$g')}))
      (local.set $mv (f32x4.add (f32x4.mul (v128.load ${at('$m')}) (local.get $b1)) (f32x4.mul (local.get $gv) (local.get $nb1))))
      (local.set $vv
        (f32x4.add (f32x4.mul (v128.load ${at('$v')}) (local.get $b2)) (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $nb2))))
      (v128.store ${at('$m')} (local.get $mv))
      (v128.store ${at('$v')} (local.get $vv))
      (v128.store ${at('$w')}
        (f32x4.add
          (f32x4.mul
            (f32x4.div
              (f32x4.div (local.get $mv) (local.get $k1))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $k2))) (local.get $e)))
            (local.get $nlr))
          (v128.load ${at('$w')})))`,
      16,
    )}))
`;
