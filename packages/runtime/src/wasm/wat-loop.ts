/**
 * WebAssembly text of a counted loop, for rdl's hand-written kernels:
 * `for (counter = 0; counter < limit; counter += step) body`, with `counter` an i32 local
 * (e.g. "$py") and `limit` an i32 expression. Its labels are the counter's name + _done/_next.
 */
export function forLoop(counter: string, limit: string, body: string, step = 1): string {
  return `
    (local.set ${counter} (i32.const 0))
    (block ${counter}_done
      (loop ${counter}_next
        (br_if ${counter}_done (i32.ge_u (local.get ${counter}) ${limit}))
        ${body}
        (local.set ${counter} (i32.add (local.get ${counter}) (i32.const ${step})))
        (br ${counter}_next)))`;
}
