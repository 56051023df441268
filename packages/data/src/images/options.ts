import type { z } from 'zod';

/** zod parse with one message naming the first bad field. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${what}: ${issue?.path.join('.') || '(options)'}: ${issue?.message}`);
  }
  return parsed.data;
}
