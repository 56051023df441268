import { Command, CommanderError } from 'commander';

/**
 * `rdl cache serve`: the team cache (packages/cache-server). Kept apart from the pipeline
 * commands, and `rdl.ts` runs it without loading them (a server needs no TensorFlow.js).
 */
export function cacheCommand(): Command {
  const cache = new Command('cache').description("a team cache: train once, restore everywhere (Nx's self-hosted remote-cache API)");
  cache
    .command('serve')
    .description('serve Nx remote-cache entries from a folder, with read-only and read-write tokens in write-once scopes')
    .requiredOption('--dir <dir>', 'folder holding the entries (created if missing)')
    .requiredOption('--port <port>', 'TCP port (0 picks a free one)')
    .requiredOption('--tokens <file>', 'tokens file: {"tokens": [{"token", "access": "read"|"read-write", "scope", "reads"}]}')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--max-body <size>', 'largest upload, e.g. 1GiB (default)')
    .option('--max-size <size>', 'evict least recently used entries beyond this total, e.g. 50GiB (default)')
    .option('--max-age <duration>', 'evict entries not restored for this long, e.g. 30d (default)')
    .action(
      async (opts: { dir: string; port: string; tokens: string; host: string; maxBody?: string; maxSize?: string; maxAge?: string }) => {
        const { serve } = await import('@rdl/cache-server');
        const running = await serve({ ...opts, handleSignals: true });
        await running.closed;
      },
    );
  return cache;
}

/** `rdl cache …` on its own: the same errors and exit codes as the other commands. */
export async function cacheMain(argv: string[]): Promise<number> {
  const program = new Command('rdl').exitOverride().configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.addCommand(cacheCommand());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' || error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`rdl: ${(error as Error).message}\n`);
    return 1;
  }
}
