/**
 * WebAssembly text (SIMD) of LeNet's first layer at inference, for one-channel images:
 *
 *   out[n, py, px, c] = max(0, b[c] + max over the 2×2 block (dy, dx) of conv(x[n], w)[2py+dy, 2px+dx, c])
 *
 * i.e. a valid stride-1 convolution, 2×2 max-pooling with stride 2, bias and ReLU in one pass
 * (pooling commutes with the per-channel bias and with ReLU, float rounding included). Output
 * channels are processed four at a time (one vector); each filter vector is loaded once for the
 * four pixels of a pooling block, and every input pixel is first broadcast to a vector so the
 * inner loop is two loads, a multiply and an add per four multiply-adds.
 *
 * Layouts: images f32 [n, H, W]; filter f32 [kh·kw, Cv·4]; bias f32 [Cv·4]; out f32
 * [n, PH, PW, Cv·4]; `splat` is scratch for one image, 16·H·W bytes.
 */
export const CONV_POOL_WAT = `
(module
  (memory (export "memory") 1)
  (func (export "conv_pool")
    (param $n i32) (param $img i32) (param $splat i32) (param $w i32) (param $bias i32) (param $out i32)
    (param $H i32) (param $W i32) (param $kh i32) (param $kw i32) (param $Cv i32) (param $PH i32) (param $PW i32)
    (local $i i32) (local $p i32) (local $py i32) (local $px i32) (local $v i32) (local $ky i32) (local $kx i32)
    (local $row i32) (local $base i32) (local $wp i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local.set $row (i32.shl (local.get $W) (i32.const 4)))
    (block $images_done
      (loop $images
        (br_if $images_done (i32.ge_u (local.get $i) (local.get $n)))
        ;; broadcast every pixel of this image to a vector
        (local.set $p (i32.const 0))
        (block $s_done
          (loop $s
            (br_if $s_done (i32.ge_u (local.get $p) (i32.mul (local.get $H) (local.get $W))))
            (v128.store (i32.add (local.get $splat) (i32.shl (local.get $p) (i32.const 4)))
              (f32x4.splat (f32.load (i32.add (local.get $img) (i32.shl (local.get $p) (i32.const 2))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $s)))
        (local.set $py (i32.const 0))
        (block $py_done
          (loop $pys
            (br_if $py_done (i32.ge_u (local.get $py) (local.get $PH)))
            (local.set $px (i32.const 0))
            (block $px_done
              (loop $pxs
                (br_if $px_done (i32.ge_u (local.get $px) (local.get $PW)))
                (local.set $v (i32.const 0))
                (block $v_done
                  (loop $vs
                    (br_if $v_done (i32.ge_u (local.get $v) (local.get $Cv)))
                    (local.set $a0 (v128.const f32x4 0 0 0 0))
                    (local.set $a1 (v128.const f32x4 0 0 0 0))
                    (local.set $a2 (v128.const f32x4 0 0 0 0))
                    (local.set $a3 (v128.const f32x4 0 0 0 0))
                    (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $v) (i32.const 4))))
                    (local.set $ky (i32.const 0))
                    (block $ky_done
                      (loop $kys
                        (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $kh)))
                        ;; top-left input pixel of the block's top-left output, for this filter row
                        (local.set $base
                          (i32.add (local.get $splat)
                            (i32.add
                              (i32.mul (i32.add (i32.shl (local.get $py) (i32.const 1)) (local.get $ky)) (local.get $row))
                              (i32.shl (local.get $px) (i32.const 5)))))
                        (local.set $kx (i32.const 0))
                        (block $kx_done
                          (loop $kxs
                            (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $kw)))
                            (local.set $wv (v128.load (local.get $wp)))
                            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $base)) (local.get $wv))))
                            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $base)) (local.get $wv))))
                            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $base) (local.get $row))) (local.get $wv))))
                            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=16 (i32.add (local.get $base) (local.get $row))) (local.get $wv))))
                            (local.set $base (i32.add (local.get $base) (i32.const 16)))
                            (local.set $wp (i32.add (local.get $wp) (i32.shl (local.get $Cv) (i32.const 4))))
                            (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                            (br $kxs)))
                        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
                        (br $kys)))
                    (v128.store
                      (i32.add (local.get $out) (i32.shl (local.get $v) (i32.const 4)))
                      (f32x4.max
                        (f32x4.add
                          (f32x4.max (f32x4.max (local.get $a0) (local.get $a1)) (f32x4.max (local.get $a2) (local.get $a3)))
                          (v128.load (i32.add (local.get $bias) (i32.shl (local.get $v) (i32.const 4)))))
                        (v128.const f32x4 0 0 0 0)))
                    (local.set $v (i32.add (local.get $v) (i32.const 1)))
                    (br $vs)))
                (local.set $out (i32.add (local.get $out) (i32.shl (local.get $Cv) (i32.const 4))))
                (local.set $px (i32.add (local.get $px) (i32.const 1)))
                (br $pxs)))
            (local.set $py (i32.add (local.get $py) (i32.const 1)))
            (br $pys)))
        (local.set $img (i32.add (local.get $img) (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $images)))))
`;
