/**
 * Make a standalone SVG safe and well-behaved inline in an HTML page: no XML prolog or
 * scripts, ids scoped per figure (vega names clip paths "clip1", "clip2"... in every file, so
 * two figures would otherwise share them), and a fluid width.
 */
export function inlineSvg(svg: string, scope: string): string {
  let s = svg
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .trim();
  s = s.replace(/<script[\s\S]*?<\/script\s*>/gi, '').replace(/<script[^>]*\/>/gi, '');
  s = s.replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '');
  s = s.replace(/(href\s*=\s*["'])\s*javascript:[^"']*/gi, '$1#');
  s = s.replace(/\sid="([^"]+)"/g, ` id="${scope}-$1"`);
  s = s.replace(/url\(#([^)]+)\)/g, `url(#${scope}-$1)`);
  s = s.replace(/((?:xlink:)?href)="#([^"]+)"/g, `$1="#${scope}-$2"`);
  // Fluid: keep the drawn size as a maximum, let narrow screens shrink it.
  s = s.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    const w = /\swidth="([\d.]+)"/.exec(attrs)?.[1];
    const h = /\sheight="([\d.]+)"/.exec(attrs)?.[1];
    let a = attrs;
    if (w && h && !/viewBox=/.test(a)) a += ` viewBox="0 0 ${w} ${h}"`;
    a = a.replace(/\swidth="[\d.]+"/, ' width="100%"').replace(/\sheight="[\d.]+"/, '');
    a = a.replace(/\sstyle="[^"]*"/, '');
    return `<svg${a} style="max-width:${w ?? 800}px;height:auto" role="img">`;
  });
  return s;
}
