import type { z } from 'zod';

/**
 * The one way rdl validates options: zod with defaults, and on failure one message that names the
 * function and the field, `what: field: message` (`trainClassifier: epochs: Too small: expected
 * number to be >=1`). Every package throws this format, so a user reads the same kind of error
 * whichever function rejected the input.
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  throw new Error(`${what}: ${field}${issue?.message ?? 'invalid value'}`);
}
