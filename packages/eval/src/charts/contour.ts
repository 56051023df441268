/**
 * Marching squares: line segments where a lattice crosses a level (the p = 0.5 decision
 * boundary). vega-lite has no contour transform, so segments are drawn as rule marks.
 */
export interface Segment {
  x: number;
  y: number;
  x2: number;
  y2: number;
}

/**
 * @param value value(ix, iy) on an nx × ny lattice
 * @param xs lattice x coordinates (length nx), ys (length ny)
 */
export function isoSegments(
  value: (ix: number, iy: number) => number,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  level: number,
): Segment[] {
  const nx = xs.length;
  const ny = ys.length;
  const out: Segment[] = [];
  // Interpolated crossing on the edge between two lattice points.
  const lerp = (a: number, b: number, va: number, vb: number): number =>
    va === vb ? (a + b) / 2 : a + ((level - va) / (vb - va)) * (b - a);
  for (let iy = 0; iy < ny - 1; iy++) {
    for (let ix = 0; ix < nx - 1; ix++) {
      const v00 = value(ix, iy);
      const v10 = value(ix + 1, iy);
      const v01 = value(ix, iy + 1);
      const v11 = value(ix + 1, iy + 1);
      if (![v00, v10, v01, v11].every(Number.isFinite)) continue;
      const x0 = xs[ix];
      const x1 = xs[ix + 1];
      const y0 = ys[iy];
      const y1 = ys[iy + 1];
      const pts: [number, number][] = [];
      // Edges in order: bottom, right, top, left.
      if (v00 >= level !== v10 >= level) pts.push([lerp(x0, x1, v00, v10), y0]);
      if (v10 >= level !== v11 >= level) pts.push([x1, lerp(y0, y1, v10, v11)]);
      if (v01 >= level !== v11 >= level) pts.push([lerp(x0, x1, v01, v11), y1]);
      if (v00 >= level !== v01 >= level) pts.push([x0, lerp(y0, y1, v00, v01)]);
      if (pts.length === 2) {
        out.push({ x: pts[0][0], y: pts[0][1], x2: pts[1][0], y2: pts[1][1] });
      } else if (pts.length === 4) {
        // Saddle: pair the crossings by the centre value.
        const centre = (v00 + v10 + v01 + v11) / 4;
        const [b, r, t, l] = pts;
        if (centre >= level === v00 >= level) {
          out.push({ x: b[0], y: b[1], x2: r[0], y2: r[1] }, { x: t[0], y: t[1], x2: l[0], y2: l[1] });
        } else {
          out.push({ x: b[0], y: b[1], x2: l[0], y2: l[1] }, { x: t[0], y: t[1], x2: r[0], y2: r[1] });
        }
      }
    }
  }
  return out;
}
