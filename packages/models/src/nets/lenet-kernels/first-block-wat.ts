/**
 * WebAssembly text (SIMD) of LeNet's first block for one-channel images, forward and backward:
 *
 *   out[n, py, px, c] = max(0, b[c] + max over the 2×2 block (dy, dx) of conv(x[n], w)[2py+dy, 2px+dx, c])
 *
 * i.e. a valid stride-1 convolution, 2×2 max-pooling with stride 2, bias and ReLU in one pass
 * (pooling commutes with the per-channel bias and with ReLU, float rounding included). `arg`
 * records which of the four block pixels won (0..3, row-major; the first maximum wins ties, as
 * in tfjs's MaxPoolGrad), so the backward pass only visits that pixel: its filter gradient costs
 * a quarter of a dense one, and no pooling gradient is materialised.
 *
 * Output channels are processed four at a time (one vector); each filter vector is loaded once
 * for the four pixels of a pooling block, and every input pixel is first broadcast to a vector.
 * Layouts: images f32 [n, H, W]; filter and its gradient f32 [kh·kw, Cv·4]; bias and its
 * gradient f32 [Cv·4]; out, arg (i32), dy f32 [n, PH, PW, Cv·4]; `splat` is scratch for one
 * image, 16·H·W bytes.
 */
import { forLoop } from '@rdl/runtime';

/** Every image, pooled pixel (py, px) and channel vector v; `perImage` runs before the pixels. */
function overOutputs(perImage: string, body: string, advance: string): string {
  return forLoop(
    '$i',
    '(local.get $n)',
    `
    ${perImage}
    ${forLoop(
      '$py',
      '(local.get $PH)',
      forLoop(
        '$px',
        '(local.get $PW)',
        `
      ${forLoop(
        '$v',
        '(local.get $Cv)',
        `
        (local.set $at (i32.shl (local.get $v) (i32.const 4)))
        ${body}`,
      )}
      ${advance}`,
      ),
    )}
    (local.set $img (i32.add (local.get $img) (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2))))`,
  );
}

const splatImage = '(call $splat (local.get $img) (local.get $splat) (i32.mul (local.get $H) (local.get $W)))';
/** Moves the named per-output pointers to the next pooled pixel. */
const next = (...pointers: string[]): string =>
  pointers.map((p) => `(local.set ${p} (i32.add (local.get ${p}) (i32.shl (local.get $Cv) (i32.const 4))))`).join('\n');

export const FIRST_BLOCK_WAT = `
(module
  (memory (export "memory") 1)

  ;; every pixel of one image broadcast to a vector
  (func $splat (param $img i32) (param $splat i32) (param $pixels i32)
    (local $p i32)
    ${forLoop(
      '$p',
      '(local.get $pixels)',
      `
      (v128.store (i32.add (local.get $splat) (i32.shl (local.get $p) (i32.const 4)))
        (f32x4.splat (f32.load (i32.add (local.get $img) (i32.shl (local.get $p) (i32.const 2))))))`,
    )})

  (func (export "forward")
    (param $n i32) (param $img i32) (param $splat i32) (param $w i32) (param $bias i32) (param $out i32) (param $arg i32)
    (param $H i32) (param $W i32) (param $kh i32) (param $kw i32) (param $Cv i32) (param $PH i32) (param $PW i32)
    (local $i i32) (local $py i32) (local $px i32) (local $v i32) (local $ky i32) (local $kx i32)
    (local $row i32) (local $base i32) (local $wp i32) (local $at i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local $g01 v128) (local $g23 v128) (local $g v128) (local $m01 v128) (local $m23 v128)
    (local.set $row (i32.shl (local.get $W) (i32.const 4)))
    ${overOutputs(
      splatImage,
      `
      (local.set $a0 (v128.const f32x4 0 0 0 0))
      (local.set $a1 (v128.const f32x4 0 0 0 0))
      (local.set $a2 (v128.const f32x4 0 0 0 0))
      (local.set $a3 (v128.const f32x4 0 0 0 0))
      (local.set $wp (i32.add (local.get $w) (local.get $at)))
      ${forLoop(
        '$ky',
        '(local.get $kh)',
        `
        ;; input pixel under filter row ky for the block's top-left output
        (local.set $base
          (i32.add (local.get $splat)
            (i32.add
              (i32.mul (i32.add (i32.shl (local.get $py) (i32.const 1)) (local.get $ky)) (local.get $row))
              (i32.shl (local.get $px) (i32.const 5)))))
        ${forLoop(
          '$kx',
          '(local.get $kw)',
          `
          (local.set $wv (v128.load (local.get $wp)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $base)) (local.get $wv))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $base)) (local.get $wv))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $base) (local.get $row))) (local.get $wv))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=16 (i32.add (local.get $base) (local.get $row))) (local.get $wv))))
          (local.set $base (i32.add (local.get $base) (i32.const 16)))
          (local.set $wp (i32.add (local.get $wp) (i32.shl (local.get $Cv) (i32.const 4))))`,
        )}`,
      )}
      ;; winner of each pair, then of the two pairs; strict > keeps the first on ties
      (local.set $g01 (f32x4.gt (local.get $a1) (local.get $a0)))
      (local.set $m01 (v128.bitselect (local.get $a1) (local.get $a0) (local.get $g01)))
      (local.set $g23 (f32x4.gt (local.get $a3) (local.get $a2)))
      (local.set $m23 (v128.bitselect (local.get $a3) (local.get $a2) (local.get $g23)))
      (local.set $g (f32x4.gt (local.get $m23) (local.get $m01)))
      (v128.store (i32.add (local.get $arg) (local.get $at))
        (v128.bitselect
          (i32x4.add (v128.const i32x4 2 2 2 2) (v128.and (local.get $g23) (v128.const i32x4 1 1 1 1)))
          (v128.and (local.get $g01) (v128.const i32x4 1 1 1 1))
          (local.get $g)))
      (v128.store (i32.add (local.get $out) (local.get $at))
        (f32x4.max
          (f32x4.add
            (v128.bitselect (local.get $m23) (local.get $m01) (local.get $g))
            (v128.load (i32.add (local.get $bias) (local.get $at))))
          (v128.const f32x4 0 0 0 0)))`,
      next('$out', '$arg'),
    )})

  ;; Adds into dw [kh·kw, Cv·4] and db [Cv·4] the gradients of "forward" given dy:
  ;; g = dy where out > 0 (ReLU), routed to the block pixel recorded in arg.
  (func (export "backward")
    (param $n i32) (param $img i32) (param $splat i32) (param $arg i32) (param $out i32) (param $dy i32) (param $dw i32) (param $db i32)
    (param $H i32) (param $W i32) (param $kh i32) (param $kw i32) (param $Cv i32) (param $PH i32) (param $PW i32)
    (local $i i32) (local $py i32) (local $px i32) (local $v i32) (local $s i32) (local $ky i32) (local $kx i32)
    (local $row i32) (local $base i32) (local $rowbase i32) (local $wp i32) (local $at i32)
    (local $g v128) (local $a v128) (local $gs v128)
    (local.set $row (i32.shl (local.get $W) (i32.const 4)))
    ${overOutputs(
      splatImage,
      `
      (local.set $g
        (v128.and
          (v128.load (i32.add (local.get $dy) (local.get $at)))
          (f32x4.gt (v128.load (i32.add (local.get $out) (local.get $at))) (v128.const f32x4 0 0 0 0))))
      (v128.store (i32.add (local.get $db) (local.get $at))
        (f32x4.add (v128.load (i32.add (local.get $db) (local.get $at))) (local.get $g)))
      (local.set $a (v128.load (i32.add (local.get $arg) (local.get $at))))
      ${forLoop(
        '$s',
        '(i32.const 4)',
        `
        (local.set $gs (v128.and (local.get $g) (i32x4.eq (local.get $a) (i32x4.splat (local.get $s)))))
        (if (v128.any_true (local.get $gs))
          (then
            ;; the winner is input pixel (2py + s/2, 2px + s%2) of this block
            (local.set $base
              (i32.add (local.get $splat)
                (i32.add
                  (i32.mul (i32.add (i32.shl (local.get $py) (i32.const 1)) (i32.shr_u (local.get $s) (i32.const 1))) (local.get $row))
                  (i32.shl (i32.add (i32.shl (local.get $px) (i32.const 1)) (i32.and (local.get $s) (i32.const 1))) (i32.const 4)))))
            (local.set $wp (i32.add (local.get $dw) (local.get $at)))
            ${forLoop(
              '$ky',
              '(local.get $kh)',
              `
              (local.set $rowbase (i32.add (local.get $base) (i32.mul (local.get $ky) (local.get $row))))
              ${forLoop(
                '$kx',
                '(local.get $kw)',
                `
                (v128.store (local.get $wp)
                  (f32x4.add (v128.load (local.get $wp)) (f32x4.mul (local.get $gs) (v128.load (local.get $rowbase)))))
                (local.set $rowbase (i32.add (local.get $rowbase) (i32.const 16)))
                (local.set $wp (i32.add (local.get $wp) (i32.shl (local.get $Cv) (i32.const 4))))`,
              )}`,
            )}))`,
      )}`,
      next('$out', '$arg', '$dy'),
    )}))
`;
