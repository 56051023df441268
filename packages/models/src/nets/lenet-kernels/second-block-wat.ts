/**
 * WebAssembly text of the pooling and the backward pass of LeNet's second block in training,
 * whose convolution (20→50 channels, dense) stays with the backend:
 *
 *   out[n, py, px, c] = max(0, b[c] + max over the 2×2 block of conv[n, 2py+dy, 2px+dx, c])
 *
 * `pool` also records the winning conv pixel of each output (oy·OW + ox; the first maximum in
 * row-major order wins ties, as in tfjs's MaxPoolGrad). `backward` then sends each output's
 * gradient only through its winner: for g = dy where out > 0,
 *
 *   dW[tap, c, :] += g · x[winner + tap, :]      dx[winner + tap, :] += g · W[tap, c, :]
 *
 * a quarter of a dense convolution gradient, less the outputs ReLU zeroes, with SIMD vectors over
 * the input channels. Layouts: conv f32 [n, OH, OW, C]; out, dy f32 and arg i32 [n, PH, PW, C];
 * x, dx f32 [n, H, W, Civ·4]; w, dw f32 [kh·kw, C, Civ·4] (the kernel with its last two axes
 * swapped); bias, db f32 [C].
 */
import { forLoop } from '@rdl/runtime';

/** Moves the named per-output pointers to the next output (one float or index each). */
const next = (...pointers: string[]): string => pointers.map((p) => `(local.set ${p} (i32.add (local.get ${p}) (i32.const 4)))`).join('\n');
const conv = (element: string): string => `(f32.load (i32.add (local.get $conv) (i32.shl ${element} (i32.const 2))))`;

export const SECOND_BLOCK_WAT = `
(module
  (memory (export "memory") 1)

  (func (export "pool")
    (param $n i32) (param $conv i32) (param $bias i32) (param $out i32) (param $arg i32)
    (param $OH i32) (param $OW i32) (param $C i32) (param $PH i32) (param $PW i32)
    (local $i i32) (local $py i32) (local $px i32) (local $c i32)
    (local $p00 i32) (local $row i32) (local $best f32) (local $at i32) (local $v f32) (local $image i32)
    (local.set $row (i32.mul (local.get $OW) (local.get $C)))
    ${forLoop(
      '$i',
      '(local.get $n)',
      `
      (local.set $image (i32.mul (local.get $i) (i32.mul (local.get $OH) (local.get $row))))
      ${forLoop(
        '$py',
        '(local.get $PH)',
        forLoop(
          '$px',
          '(local.get $PW)',
          forLoop(
            '$c',
            '(local.get $C)',
            `
        ;; element index of conv pixel (2py, 2px), channel c
        (local.set $p00
          (i32.add (local.get $image)
            (i32.add
              (i32.mul (i32.shl (local.get $py) (i32.const 1)) (local.get $row))
              (i32.add (i32.mul (i32.shl (local.get $px) (i32.const 1)) (local.get $C)) (local.get $c)))))
        (local.set $best ${conv('(local.get $p00)')})
        (local.set $at (i32.const 0))
        (local.set $v ${conv('(i32.add (local.get $p00) (local.get $C))')})
        (if (f32.gt (local.get $v) (local.get $best)) (then (local.set $best (local.get $v)) (local.set $at (i32.const 1))))
        (local.set $v ${conv('(i32.add (local.get $p00) (local.get $row))')})
        (if (f32.gt (local.get $v) (local.get $best)) (then (local.set $best (local.get $v)) (local.set $at (local.get $OW))))
        (local.set $v ${conv('(i32.add (local.get $p00) (i32.add (local.get $row) (local.get $C)))')})
        (if (f32.gt (local.get $v) (local.get $best))
          (then (local.set $best (local.get $v)) (local.set $at (i32.add (local.get $OW) (i32.const 1)))))
        ;; winner as a conv pixel index oy·OW + ox
        (i32.store (local.get $arg)
          (i32.add (local.get $at)
            (i32.add (i32.mul (i32.shl (local.get $py) (i32.const 1)) (local.get $OW)) (i32.shl (local.get $px) (i32.const 1)))))
        (f32.store (local.get $out)
          (f32.max
            (f32.add (local.get $best) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
            (f32.const 0)))
        ${next('$out', '$arg')}`,
          ),
        ),
      )}`,
    )})

  (func (export "backward")
    (param $n i32) (param $x i32) (param $arg i32) (param $out i32) (param $dy i32)
    (param $w i32) (param $dw i32) (param $db i32) (param $dx i32)
    (param $H i32) (param $W i32) (param $Civ i32) (param $kh i32) (param $kw i32)
    (param $C i32) (param $P i32) (param $OW i32)
    (local $i i32) (local $p i32) (local $c i32) (local $ky i32) (local $kx i32) (local $v i32)
    (local $g f32) (local $gs v128) (local $winner i32) (local $pixel i32)
    (local $pix i32) (local $tap i32) (local $xo i32) (local $wo i32) (local $vbytes i32) (local $image i32)
    (local.set $vbytes (i32.shl (local.get $Civ) (i32.const 4)))
    ${forLoop(
      '$i',
      '(local.get $n)',
      `
      (local.set $image (i32.mul (local.get $i) (i32.mul (local.get $H) (local.get $W))))
      ${forLoop(
        '$p',
        '(local.get $P)',
        forLoop(
          '$c',
          '(local.get $C)',
          `
        (local.set $g (f32.load (local.get $dy)))
        (if (i32.and (f32.gt (f32.load (local.get $out)) (f32.const 0)) (f32.ne (local.get $g) (f32.const 0)))
          (then
            (f32.store (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))
              (f32.add (f32.load (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))) (local.get $g)))
            (local.set $gs (f32x4.splat (local.get $g)))
            (local.set $winner (i32.load (local.get $arg)))
            ;; input pixel under tap (0, 0) of the winner: (oy, ox) = (winner / OW, winner % OW)
            (local.set $pixel
              (i32.add (local.get $image)
                (i32.add
                  (i32.mul (i32.div_u (local.get $winner) (local.get $OW)) (local.get $W))
                  (i32.rem_u (local.get $winner) (local.get $OW)))))
            (local.set $tap (i32.const 0))
            ${forLoop(
              '$ky',
              '(local.get $kh)',
              `
              (local.set $pix (i32.add (local.get $pixel) (i32.mul (local.get $ky) (local.get $W))))
              ${forLoop(
                '$kx',
                '(local.get $kw)',
                `
                (local.set $xo (i32.mul (local.get $pix) (local.get $vbytes)))
                (local.set $wo (i32.mul (i32.add (i32.mul (local.get $tap) (local.get $C)) (local.get $c)) (local.get $vbytes)))
                ${forLoop(
                  '$v',
                  '(local.get $vbytes)',
                  `
                  (v128.store (i32.add (local.get $dw) (i32.add (local.get $wo) (local.get $v)))
                    (f32x4.add
                      (v128.load (i32.add (local.get $dw) (i32.add (local.get $wo) (local.get $v))))
                      (f32x4.mul (local.get $gs) (v128.load (i32.add (local.get $x) (i32.add (local.get $xo) (local.get $v)))))))
                  (v128.store (i32.add (local.get $dx) (i32.add (local.get $xo) (local.get $v)))
                    (f32x4.add
                      (v128.load (i32.add (local.get $dx) (i32.add (local.get $xo) (local.get $v))))
                      (f32x4.mul (local.get $gs) (v128.load (i32.add (local.get $w) (i32.add (local.get $wo) (local.get $v)))))))`,
                  16,
                )}
                (local.set $pix (i32.add (local.get $pix) (i32.const 1)))
                (local.set $tap (i32.add (local.get $tap) (i32.const 1)))`,
              )}`,
            )}))
        ${next('$dy', '$out', '$arg')}`,
        ),
      )}`,
    )}))
`;
