#!/usr/bin/env node
import { CONNECTOR_USAGE, runConnector } from './connector.js';
import { DEMO_USAGE, runDemo } from './demo.js';
import { INSPECT_USAGE, runInspect } from './inspect.js';
import { SERVE_USAGE, serve } from './serve.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';

export const USAGE = `Usage: token-echo <command> [options]

Commands:
  serve       serve the function app on a local Functions host (what npm start runs)
  inspect     validate and explain one token: token-echo inspect - < token.txt
  demo        every classic diagnosis in a few seconds, against a local stand-in for Entra ID
  connector   write the custom connector definition (apiDefinition.swagger.json, apiProperties.json)

Run "token-echo <command> --help" for a command's options.`;

const COMMAND_USAGE: Record<string, string> = { serve: SERVE_USAGE, inspect: INSPECT_USAGE, demo: DEMO_USAGE, connector: CONNECTOR_USAGE };

/** Runs the command line; resolves to an exit code, or to null while a server keeps running. */
export async function main(argv: string[]): Promise<number | null> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve': {
        const result = await serve(rest);
        if (typeof result === 'number') return result;
        stopOnSignal(() => result.host.close());
        return null;
      }
      case 'inspect':
        return await runInspect(rest, {
          env: process.env,
          stdin: readStdin,
          out: (t) => process.stdout.write(`${t}\n`),
          err: (t) => process.stderr.write(`${t}\n`),
          isTTY: process.stdout.isTTY === true,
        });
      case 'demo': {
        const { code, run } = await runDemo(rest, (line) => process.stdout.write(`${line}\n`));
        if (run === null) return code;
        stopOnSignal(() => run.stop());
        return null;
      }
      case 'connector':
        return runConnector(rest, process.env, (line) => process.stdout.write(`${line}\n`));
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return 0;
      case undefined:
        console.error(USAGE);
        return EXIT_USAGE;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(`token-echo: ${(error as Error).message}`);
      console.error(COMMAND_USAGE[command ?? ''] ?? USAGE);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function stopOnSignal(stop: () => Promise<void>): void {
  const handler = (): void => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
