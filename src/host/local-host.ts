import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { keysMatch } from './function-keys.js';
import { type FunctionCallback, type LogLevel, LocalFunctionsCore, type RegisteredFunction } from './functions-core.js';
import { installFunctionsCore } from './install-core.js';
import { loadApp } from './load-app.js';
import { readRoutePrefix } from './local-settings.js';
import { type CompiledRoute, compileRoute, splitPath } from './routes.js';

/**
 * A local stand-in for the Azure Functions host and Node worker, for machines without Core Tools:
 * it loads the app's registrations through `@azure/functions-core` and serves them over HTTP the
 * way the host does (shared/reference/azure-functions-node.md §6): routePrefix from host.json,
 * route templates, methods, 404 with an empty body for unknown routes or methods, keys for
 * `function`/`admin` functions (401, empty body), the invocation through the programming model
 * with pre/post-invocation hooks, 500 with an empty body when a function throws.
 */
export interface LocalHostOptions {
  appDir: string;
  port: number;
  host?: string;
  /** The key accepted for function- and admin-level functions. */
  key: string;
  /** Where host and function logs go; default: stdout/stderr. */
  log?: (line: string) => void;
  /** How long a client may take to send its request headers before a 408 (default HEADERS_TIMEOUT_MS). */
  headersTimeoutMs?: number;
}

export interface HttpFunction {
  name: string;
  route: string;
  methods: string[];
  authLevel: string;
  url: string;
}

export interface LocalHost {
  url: string;
  functions: HttpFunction[];
  close(): Promise<void>;
}

/** The local host accepts request headers up to 64 KiB, so token-echo's 16 KiB token limit can be reached and tested. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Azure's limit on request bodies is 100 MB; a diagnostic target needs far less. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Headers that have not all arrived by then get 408 (Kestrel's RequestHeadersTimeout is 30 s; a local host can be brisker). */
export const HEADERS_TIMEOUT_MS = 20_000;

/** A Host header: a registered name, IPv4 or [IPv6], and an optional port (RFC 9110 §7.2, RFC 3986 §3.2.2). */
const HOST_HEADER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

interface Route {
  fn: RegisteredFunction;
  compiled: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
  triggerName: string;
  route: string;
}

/**
 * Log lines go out in batches, once per turn of the event loop, as the Functions host batches what
 * the worker sends it: under load one write carries many lines instead of one write each.
 */
function batchedStdout(): (line: string) => void {
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    process.stdout.write(text);
  };
  process.once('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = options.log ?? batchedStdout();
  const core = new LocalFunctionsCore((level, category, message) => {
    if (category !== 'customMetric') log(`[${level}] ${message}`);
  });
  installFunctionsCore(core);
  loadApp(options.appDir);
  core.lock();

  const appHookData: Record<string, unknown> = {};
  for (const hook of core.hooks.get('appStart') ?? []) {
    await hook({ hookData: {}, appHookData, functionAppDirectory: options.appDir });
  }

  const prefix = readRoutePrefix(options.appDir);
  const routes: Route[] = [];
  for (const fn of core.functions.values()) {
    const trigger = Object.entries(fn.metadata.bindings).find(([, b]) => (b.type ?? '').toLowerCase() === 'httptrigger');
    if (!trigger) continue;
    const [triggerName, binding] = trigger;
    const route = binding.route ?? fn.metadata.name;
    routes.push({
      fn,
      compiled: compileRoute(route),
      methods: new Set((binding.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase())),
      authLevel: (binding.authLevel ?? 'function').toLowerCase(),
      triggerName,
      route,
    });
  }
  routes.sort((a, b) => a.compiled.precedence - b.compiled.precedence);

  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const server = http.createServer(
    // Node checks the headers timeout every connectionsCheckingInterval (30 s by default): often enough here to keep its word.
    { maxHeaderSize: MAX_HEADER_BYTES, headersTimeout, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))) },
    (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[error] local host: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    },
  );
  // Node answers 431 by itself when headers exceed maxHeaderSize; keep serving after any client error.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // A declared body over the limit is refused before a byte of it is read (RFC 9110 §15.5.14).
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      refuse(res, 413);
      return;
    }
    // A malformed Host or request target is the client's error (RFC 9112 §3.2: 400), not a crash.
    const host = req.headers.host;
    let url: URL;
    try {
      if (host !== undefined && !HOST_HEADER.test(host)) throw new Error('bad host');
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuse(res, 400);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const relative = stripPrefix(url.pathname, prefix);
    const matched = relative === null ? undefined : findRoute(routes, relative, method);
    if (!matched) {
      req.resume();
      res.writeHead(404, { 'content-length': 0 }).end();
      return;
    }
    const { route, params } = matched;
    if (route.authLevel === 'function' || route.authLevel === 'admin') {
      // The header wins over the query string, as in the host's AuthenticationLevelHandler.
      const given = headerValue(req.headers['x-functions-key']) ?? url.searchParams.get('code');
      if (given === null || !keysMatch(given, options.key)) {
        req.resume();
        res.writeHead(401, { 'content-length': 0 }).end();
        return;
      }
    }
    const body = await readBody(req);
    if (body === null) {
      refuse(res, 413);
      return;
    }
    const absolute = `http://${req.headers.host ?? `localhost:${port}`}${url.pathname}${url.search}`;
    await invoke(route, req, res, absolute, url, params, body);
  }

  async function invoke(
    route: Route,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    absoluteUrl: string,
    url: URL,
    params: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const invocationId = randomUUID();
    const headers = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const query = Object.create(null) as Record<string, string>;
    for (const [k, v] of url.searchParams) query[k] = v;
    const traceParent = validTraceparent(headers['traceparent']) ?? `00-${randomHex(16)}-${randomHex(8)}-01`;
    const request = {
      invocationId,
      functionId: route.fn.id,
      inputData: [{ name: route.triggerName, data: { http: { method: req.method ?? 'GET', url: absoluteUrl, headers, query, params, body: { bytes: body } } } }],
      triggerMetadata: {},
      traceContext: { traceParent, traceState: headers['tracestate'] ?? '', attributes: {} },
    };
    const coreCtx: Record<string, unknown> = {
      invocationId,
      request,
      metadata: route.fn.metadata,
      state: undefined,
      log: (level: LogLevel, _category: string, message: string) => log(`[${level}] ${route.fn.metadata.name} (${invocationId}): ${message}`),
    };
    const pm = core.getProgrammingModel();
    const model = await pm.getInvocationModel(coreCtx);
    const { context, inputs } = await model.getArguments();
    const hookData: Record<string, unknown> = {};
    const pre: Record<string, unknown> = { hookData, appHookData, invocationContext: context, inputs, functionCallback: route.fn.callback };
    coreCtx['state'] = 'preInvocationHooks';
    for (const hook of core.hooks.get('preInvocation') ?? []) await hook(pre);
    coreCtx['state'] = 'invocation';
    const post: Record<string, unknown> = { hookData, appHookData, invocationContext: context, inputs: pre['inputs'], result: undefined, error: undefined };
    try {
      // The worker re-reads inputs and functionCallback after the hooks: a hook may replace them
      // (Application Insights binds its trace context this way).
      post['result'] = await model.invokeFunction(context, pre['inputs'] as unknown[], pre['functionCallback'] as FunctionCallback);
    } catch (error) {
      post['error'] = error;
    }
    coreCtx['state'] = 'postInvocationHooks';
    for (const hook of core.hooks.get('postInvocation') ?? []) await hook(post);
    if (post['error'] !== undefined) {
      const error = post['error'];
      log(`[error] ${route.fn.metadata.name} (${invocationId}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      res.writeHead(500, { 'content-length': 0 }).end();
      return;
    }
    const response = await model.getResponse(context, post['result']);
    writeResponse(res, response.returnValue);
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const hostName = options.host === undefined || options.host === '127.0.0.1' || options.host === '0.0.0.0' ? 'localhost' : options.host;
  const base = `http://${hostName}:${port}`;
  return {
    url: base,
    functions: routes.map((r) => ({
      name: r.fn.metadata.name,
      route: r.route,
      methods: [...r.methods],
      authLevel: r.authLevel,
      url: `${base}${prefix ? `/${prefix}` : ''}/${r.route}`,
    })),
    async close() {
      for (const hook of core.hooks.get('appTerminate') ?? []) await hook({ hookData: {}, appHookData });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function stripPrefix(pathname: string, prefix: string): string | null {
  if (prefix === '') return pathname;
  const lower = pathname.toLowerCase();
  const p = `/${prefix.toLowerCase()}`;
  if (lower === p) return '';
  if (lower.startsWith(`${p}/`)) return pathname.slice(p.length);
  return null;
}

function findRoute(routes: Route[], path: string, method: string): { route: Route; params: Record<string, string> } | undefined {
  const parts = splitPath(path);
  for (const route of routes) {
    const params = route.compiled.matchParts(parts);
    // A known route with a method it does not list is a 404 too, as in the host (host issue #10098).
    if (params !== null && route.methods.has(method)) return { route, params };
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/**
 * Random hex for new trace and span IDs (W3C Trace Context §3.2.2.3: "randomly generated"), cut
 * from a pool filled 4 KiB at a time: one call to the system's random source per 170 requests
 * instead of two per request, which cost some 5-9 microseconds a call here.
 */
let randomPool = Buffer.alloc(0);
let randomOffset = 0;
export function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomPool = randomBytes(4096);
    randomOffset = 0;
  }
  randomOffset += bytes;
  return randomPool.toString('hex', randomOffset - bytes, randomOffset);
}

function validTraceparent(value: string | undefined): string | null {
  return value !== undefined && /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(value) ? value : null;
}

/** An empty answer with `status`, and the connection closed: what is left of the request is not read. */
function refuse(res: http.ServerResponse, status: number): void {
  res.shouldKeepAlive = false;
  res.writeHead(status, { 'content-length': 0, connection: 'close' }).end();
}

/** The body, or null as soon as it passes MAX_BODY_BYTES (a chunked body declares no length): reading stops there. */
function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        resolve(null);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface RpcHttpResponse {
  statusCode?: string;
  headers?: Record<string, string>;
  cookies?: Array<{ name: string; value: string; [key: string]: unknown }>;
  body?: { bytes?: Uint8Array; string?: string };
}

function writeResponse(res: http.ServerResponse, returnValue: unknown): void {
  const httpValue = (returnValue as { http?: RpcHttpResponse } | undefined)?.http;
  if (httpValue === undefined) {
    // No HTTP output: the host answers 204 No Content.
    res.writeHead(204).end();
    return;
  }
  const status = Number(httpValue.statusCode ?? '200');
  const headers: Record<string, string | string[]> = { ...(httpValue.headers ?? {}) };
  const cookies = (httpValue.cookies ?? []).map((c) => `${c.name}=${c.value}`);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const bytes = httpValue.body?.bytes;
  // A view of the bytes the library produced, not a copy.
  const body = bytes !== undefined ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(httpValue.body?.string ?? '', 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(Number.isInteger(status) && status >= 100 && status < 600 ? status : 500, headers).end(body);
}
