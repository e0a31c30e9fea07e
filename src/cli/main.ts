#!/usr/bin/env node
import { serve, SERVE_USAGE } from './serve.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';

export const USAGE = `Usage: token-echo <command> [options]

Commands:
  serve       serve the function app on a local Functions host (what npm start runs)

Run "token-echo <command> --help" for a command's options.`;

/** Runs the command line; resolves to an exit code, or to null while a server keeps running. */
export async function main(argv: string[]): Promise<number | null> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve': {
        const result = await serve(rest);
        if (typeof result === 'number') return result;
        const stop = (): void => {
          void result.host.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        return null;
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(`token-echo: ${(error as Error).message}`);
      console.error(command === 'serve' ? SERVE_USAGE : USAGE);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== null) process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`token-echo: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
