#!/usr/bin/env node
import type * as ConnectorCommand from './connector.js';
import type * as DemoCommand from './demo.js';
import type * as ExplainCommand from './explain.js';
import type * as InspectCommand from './inspect.js';
import type * as ServeCommand from './serve.js';
import { packageVersion } from '../package-info.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';

export const USAGE = `Usage: token-echo <command> [options]

Commands:
  serve       serve the function app on a local Functions host (what npm start runs)
  inspect     validate and explain one token: token-echo inspect - < token.txt
  explain     explain an Entra sign-in error (AADSTS...): token-echo explain - < error.txt
  demo        every classic diagnosis in a few seconds, against a local stand-in for Entra ID
  connector   write the custom connector definition (apiDefinition.swagger.json, apiProperties.json)

Run "token-echo <command> --help" for a command's options; "token-echo --version" for the version.`;

/*
 * Each command's module is loaded when that command runs: `serve` then starts without what only
 * `demo` needs (the local authority, all of jose), which npm run bench's cold start measures.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  serve: () => require('./serve.js') as typeof ServeCommand,
  inspect: () => require('./inspect.js') as typeof InspectCommand,
  explain: () => require('./explain.js') as typeof ExplainCommand,
  demo: () => require('./demo.js') as typeof DemoCommand,
  connector: () => require('./connector.js') as typeof ConnectorCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function commandUsage(command: string | undefined): string {
  switch (command) {
    case 'serve':
      return commands.serve().SERVE_USAGE;
    case 'inspect':
      return commands.inspect().INSPECT_USAGE;
    case 'explain':
      return commands.explain().EXPLAIN_USAGE;
    case 'demo':
      return commands.demo().DEMO_USAGE;
    case 'connector':
      return commands.connector().CONNECTOR_USAGE;
    default:
      return USAGE;
  }
}

/** Runs the command line; resolves to an exit code, or to null while a server keeps running. */
export async function main(argv: string[]): Promise<number | null> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve': {
        const result = await commands.serve().serve(rest);
        if (typeof result === 'number') return result;
        stopOnSignal(() => result.host.close());
        return null;
      }
      case 'inspect':
        return await commands.inspect().runInspect(rest, {
          env: process.env,
          stdin: readStdin,
          out: (t) => process.stdout.write(`${t}\n`),
          err: (t) => process.stderr.write(`${t}\n`),
          isTTY: process.stdout.isTTY === true,
        });
      case 'explain':
        return await commands.explain().runExplain(rest);
      case 'demo': {
        const { code, run } = await commands.demo().runDemo(rest, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
        if (run === null) {
          // The demo never hangs: once it is done, anything still open (a client socket) is not waited for.
          setTimeout(() => process.exit(code), 1000).unref();
          return code;
        }
        stopOnSignal(() => run.stop());
        return null;
      }
      case 'connector':
        return commands.connector().runConnector(rest, process.env, (line) => process.stdout.write(`${line}\n`));
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return 0;
      case '-v':
      case '--version':
        console.log(`token-echo ${packageVersion()}`);
        return 0;
      case undefined:
        console.error(USAGE);
        return EXIT_USAGE;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const known = command !== undefined && Object.hasOwn(commands, command);
      console.error(`token-echo: ${usageMessage(error as Error)}`);
      // The command's usage line, not its whole help: the mistake stays in view.
      console.error(known ? `${shortUsage(commandUsage(command))}\nRun "token-echo ${command} --help" for every option.` : commandUsage(command));
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** The first paragraph of a command's help: its "Usage:" line(s). */
export function shortUsage(usage: string): string {
  return usage.split('\n\n')[0] ?? usage;
}

/**
 * One line for a command-line mistake. node:util parseArgs' own messages run on with advice about
 * "--" and quotes; its error codes say what went wrong, and the option is in its message.
 */
export function usageMessage(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  const argument = /argument '([^']*)'/i.exec(error.message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `option ${option} ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}` : error.message.split('. ')[0] ?? error.message;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(argument ?? '')}`;
    default:
      return error.message;
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
