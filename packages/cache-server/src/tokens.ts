import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A scope is a folder name on disk: letters, digits, `.`, `_`, `-`, never `.` or `..` alone. */
export const SCOPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const scope = z.string().regex(SCOPE_PATTERN, 'a scope is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const tokenEntry = z
  .strictObject({
    token: z
      .string()
      .min(16, 'a token needs at least 16 characters')
      .max(512)
      .regex(/^[\x21-\x7e]+$/, 'a token is printable ASCII without spaces'),
    access: z.enum(['read', 'read-write']),
    scope: scope.optional(),
    reads: z.array(scope).default([]),
  })
  .refine((t) => t.access === 'read' || t.scope !== undefined, {
    message: 'a read-write token needs the scope it writes into',
    path: ['scope'],
  });

export const tokensFileSchema = z
  .strictObject({ tokens: z.array(tokenEntry).min(1, 'list at least one token') })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.tokens.forEach((t, i) => {
      const first = seen.get(t.token);
      if (first !== undefined) ctx.addIssue({ code: 'custom', message: `the same token as tokens.${first}`, path: ['tokens', i, 'token'] });
      else seen.set(t.token, i);
      if (t.access === 'read' && t.scope === undefined && t.reads.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: 'a read token needs a scope or reads, or it can read nothing',
          path: ['tokens', i, 'reads'],
        });
      }
    });
  });

export type TokensFile = z.infer<typeof tokensFileSchema>;

/** What a request may do once its bearer token is known. */
export interface Grant {
  /** Short, non-secret id for the access log: the first 8 hex digits of the token's SHA-256. */
  id: string;
  access: 'read' | 'read-write';
  /** Where this token writes (read-write tokens) and what it reads first. */
  scope?: string;
  /** Scopes to look in, in order: its own scope first, then the trusted ones as listed. */
  readOrder: string[];
}

export class TokensFileError extends Error {}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** The granted tokens, looked up by the SHA-256 of the presented token (compared in constant time). */
export class TokenTable {
  private readonly grants: { digest: Buffer; grant: Grant }[];

  constructor(file: TokensFile) {
    this.grants = file.tokens.map((t) => {
      const d = digest(t.token);
      const readOrder = [...new Set([...(t.scope ? [t.scope] : []), ...t.reads])];
      return { digest: d, grant: { id: d.toString('hex').slice(0, 8), access: t.access, scope: t.scope, readOrder } };
    });
  }

  /** The grant of an `Authorization: Bearer …` header value, or undefined when missing or unknown. */
  authorize(header: string | undefined): Grant | undefined {
    const match = header ? /^Bearer +(\S+) *$/i.exec(header) : null;
    if (!match) return undefined;
    const presented = digest(match[1]!);
    let found: Grant | undefined;
    // Visit every entry, so the time taken does not tell which one matched.
    for (const entry of this.grants) if (timingSafeEqual(entry.digest, presented)) found = entry.grant;
    return found;
  }

  /** Every scope a token writes into or reads from (the folders the store keeps). */
  scopes(): string[] {
    return [...new Set(this.grants.flatMap((g) => [...(g.grant.scope ? [g.grant.scope] : []), ...g.grant.readOrder]))];
  }

  get size(): number {
    return this.grants.length;
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(top level)';
}

/** Parses and validates a tokens file's text; errors are one line naming the file and the field. */
export function parseTokens(text: string, source = 'tokens file'): TokenTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TokensFileError(`${source}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const result = tokensFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const message = issue.code === 'unrecognized_keys' ? `unknown key '${issue.keys.join("', '")}'` : issue.message;
    throw new TokensFileError(`${source}: ${issuePath(issue.path)}: ${message}`);
  }
  return new TokenTable(result.data);
}

export function loadTokens(file: string): TokenTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TokensFileError(
      `${file}: cannot read the tokens file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseTokens(text, file);
}
