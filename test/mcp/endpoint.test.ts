import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type OAuthClientProvider, UnauthorizedError, discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import { reportOutputSchema } from '../../src/mcp/tool.js';
import type { Report } from '../../src/report/report.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { type SpawnedHost, rawRequest, spawnHost } from '../helpers/spawn-host.js';

/**
 * /api/mcp of the built app on the local host (`token-echo serve`), driven by the official MCP
 * TypeScript SDK client (Client + StreamableHTTPClientTransport), as Copilot Studio's MCP client
 * or any other would.
 */
let authority: DevAuthority;
let host: SpawnedHost;
let strictHost: SpawnedHost;
const sentTokens: string[] = [];
const answers: string[] = [];

function envFor(a: DevAuthority, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TOKEN_ECHO_TENANT_ID: a.tenant.id,
    TOKEN_ECHO_AUTHORITY: a.url,
    TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    TOKEN_ECHO_HISTORY: 'memory',
    ...extra,
  };
}

async function mint(options?: Parameters<DevAuthority['mint']>[0]): Promise<string> {
  const token = await authority.mint(options);
  sentTokens.push(token);
  return token;
}

interface Exchange {
  method: string;
  requestHeaders: Headers;
  requestBody: string;
  status: number;
  responseHeaders: Headers;
}

/** An SDK client on /api/mcp; its initialize may be made to ask for an older protocol version. */
async function connect(base: string, options: { token?: string; askVersion?: string; path?: string } = {}): Promise<{ client: Client; exchanges: Exchange[] }> {
  const exchanges: Exchange[] = [];
  const fetchSpy = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    let body = typeof init?.body === 'string' ? init.body : '';
    if (options.askVersion && body.includes('"method":"initialize"')) body = body.replace(/"protocolVersion":"[^"]+"/, `"protocolVersion":"${options.askVersion}"`);
    const res = await fetch(url, { ...init, ...(body ? { body } : {}) });
    const copy = res.clone();
    answers.push(await copy.text());
    exchanges.push({ method: init?.method ?? 'GET', requestHeaders: new Headers(init?.headers), requestBody: body, status: res.status, responseHeaders: res.headers });
    return res;
  };
  const transport = new StreamableHTTPClientTransport(new URL(`${base}${options.path ?? '/api/mcp'}`), {
    fetch: fetchSpy,
    ...(options.token ? { requestInit: { headers: { authorization: `Bearer ${options.token}` } } } : {}),
  });
  const client = new Client({ name: 'token-echo-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, exchanges };
}

async function tokenReport(token?: string): Promise<{ report: Report; text: string }> {
  const { client } = await connect(host.url, token ? { token } : {});
  try {
    const result = await client.callTool({ name: 'token_report', arguments: {} });
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as unknown as Report;
    expectSchemaValid(report);
    expect(report.mcp).toMatchObject({ endpoint: 'mcp', method: 'tools/call', tool: 'token_report', status: 200, errorCode: null });
    // A decodable token also carries the front doors' verdicts, as /api/echo's answer does (issue 13).
    if (report.token?.claims) expect(report.validators?.map((v) => v.profile)).toContain('easy-auth');
    else expect(report.validators).toBeUndefined();
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
    return { report, text };
  } finally {
    await client.close();
  }
}

async function post(base: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { jsonrpc?: string; id?: unknown; error?: { code: number; message: string } } | null; res: Response }> {
  const res = await fetch(`${base}/api/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, json: text ? (JSON.parse(text) as { error?: { code: number; message: string } }) : null, res };
}

beforeAll(async () => {
  authority = await startAuthority();
  [host, strictHost] = await Promise.all([spawnHost({ env: envFor(authority) }), spawnHost({ env: envFor(authority, { TOKEN_ECHO_STRICT: 'true' }) })]);
});
afterAll(async () => {
  await Promise.all([host.stop(), strictHost.stop()]);
  await authority.stop();
});

describe('initialize and tools/list with the SDK client', () => {
  for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
    test(`a client asking for ${version} gets it, stateless (no Mcp-Session-Id)`, async () => {
      const { client, exchanges } = await connect(host.url, { token: await mint(), askVersion: version });
      try {
        expect(client.getServerVersion()).toMatchObject({ name: 'token-echo' });
        expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: false } });
        expect(client.getInstructions()).toMatch(/token_report/);
        const init = exchanges.find((e) => e.requestBody.includes('"initialize"'));
        expect(init?.status).toBe(200);
        expect(init?.responseHeaders.get('content-type')).toMatch(/^application\/json/);
        await client.listTools();
        const list = exchanges.find((e) => e.requestBody.includes('"tools/list"'));
        // The client uses the version negotiated in the MCP-Protocol-Version header, and is answered.
        expect(list?.requestHeaders.get('mcp-protocol-version')).toBe(version);
        expect(list?.status).toBe(200);
        expect(exchanges.every((e) => !e.responseHeaders.has('mcp-session-id'))).toBe(true);
        // The notification is accepted with 202; the GET for a server stream gets 405.
        expect(exchanges.find((e) => e.requestBody.includes('notifications/initialized'))?.status).toBe(202);
        const get = exchanges.find((e) => e.method === 'GET');
        if (get) expect(get.status).toBe(405);
        await client.ping();
      } finally {
        await client.close();
      }
    });
  }

  test('tools/list: token_report, no arguments, the report schema as outputSchema, a description that says when to call it', async () => {
    const { client } = await connect(host.url, { token: await mint() });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['token_report']);
      const tool = tools[0];
      expect(tool?.inputSchema).toEqual({ type: 'object', properties: {} });
      expect(tool?.outputSchema).toEqual(reportOutputSchema);
      expect(tool?.description).toMatch(/check what token this connection sends/);
      expect(tool?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    } finally {
      await client.close();
    }
  });
});

describe('tools/call token_report: the report of the very request that carried the call', () => {
  test('a valid token', async () => {
    const { report, text } = await tokenReport(await mint());
    expect(report.verdict).toBe('valid');
    expect(report.request).toMatchObject({ method: 'POST', path: '/api/mcp' });
    expect(text).toMatch(/^token-echo verdict: valid\n/);
    expect(text).toContain(`aud: "${DEMO_API_CLIENT_ID}"`);
    expect(text).toContain('scp: "access_as_user"');
    expect(text).toContain(`client (azp/appid): ${DEMO_CONNECTOR_CLIENT_ID}`);
  });

  test('the API Hub first-hop token', async () => {
    const { report, text } = await tokenReport(await mint({ aud: 'https://apihub.azure.com' }));
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]?.code).toBe('APIHUB_TOKEN');
    expect(text).toContain('- APIHUB_TOKEN (error)');
    expect(text).toContain('Fix: ');
  });

  test('an expired token', async () => {
    const { report } = await tokenReport(await mint({ expiresIn: -3600, issuedAt: -7200, notBefore: -7200 }));
    expect(report.verdict).toBe('invalid');
    expect(report.reasons.map((r) => r.code)).toContain('EXPIRED');
  });

  test('no token', async () => {
    const { report, text } = await tokenReport();
    expect(report.verdict).toBe('no_token');
    expect(report.reasons[0]?.code).toBe('NO_TOKEN');
    expect(text).toMatch(/^token-echo verdict: no_token\n/);
  });

  test('an unknown tool: the JSON-RPC error -32602 the SDK client raises as McpError', async () => {
    const { client } = await connect(host.url, { token: await mint() });
    try {
      const error = await client.callTool({ name: 'nope', arguments: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(-32602);
      expect((error as McpError).message).toMatch(/Tool nope not found/);
    } finally {
      await client.close();
    }
  });
});

describe('bad input gets a JSON-RPC error, never a 5xx', () => {
  const v = { 'mcp-protocol-version': '2025-06-18' };
  test.each([
    ['malformed JSON', '{"jsonrpc":"2.0",', 400, -32700],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]', 400, -32600],
    ['not a JSON-RPC message', '{"hello":"world"}', 400, -32600],
    ['a wrong jsonrpc version', '{"jsonrpc":"1.0","id":1,"method":"ping"}', 400, -32600],
    ['an unknown method', '{"jsonrpc":"2.0","id":1,"method":"resources/list"}', 200, -32601],
    ['initialize without its params', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', 200, -32602],
    ['tools/call without a name', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}', 200, -32602],
  ])('%s', async (_name, body, status, code) => {
    const { status: got, json } = await post(host.url, body, v);
    expect(got).toBe(status);
    expect(json?.jsonrpc).toBe('2.0');
    expect(json?.error?.code).toBe(code);
  });

  test('an oversized body: 413 with a JSON-RPC error', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1024 * 1024 + 10) } });
    const { status, json } = await post(host.url, big);
    expect(status).toBe(413);
    expect(json?.error?.code).toBe(-32600);
  });

  test('wrong content type, unsupported protocol version: 415 and 400', async () => {
    expect((await post(host.url, '{"jsonrpc":"2.0","id":1,"method":"ping"}', { 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await post(host.url, '{"jsonrpc":"2.0","id":1,"method":"ping"}', { 'mcp-protocol-version': '2099-12-31' });
    expect(bad.status).toBe(400);
    expect(bad.json?.error?.message).toMatch(/unsupported MCP-Protocol-Version/);
  });

  test('GET and DELETE: 405 with Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${host.url}/api/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      answers.push(await res.text());
    }
  });

  test('a rebound Host or a foreign Origin: 403', async () => {
    const init = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    expect((await post(host.url, init, { origin: 'https://evil.example.com' })).status).toBe(403);
    // fetch() does not let a Host header be set: a raw request does.
    const raw = await rawRequest(`${host.url}/api/mcp`, ['POST /api/mcp HTTP/1.1', 'Host: evil.example.com', 'Content-Type: application/json', 'Content-Length: 0']);
    expect(raw.status).toBe(403);
  });
});

describe('every MCP request is recorded; initialize storms are not kept whole', () => {
  test('history: the tool call and the first initialize of a token, not the repeats; the process keeps serving', async () => {
    const token = await mint();
    for (let i = 0; i < 3; i += 1) {
      const { client } = await connect(host.url, { token });
      if (i === 2) await client.callTool({ name: 'token_report' });
      await client.close();
    }
    const res = await fetch(`${host.url}/api/reports?limit=100`, { headers: { 'x-functions-key': host.key ?? '' } });
    const { reports } = (await res.json()) as { reports: Report[] };
    answers.push(JSON.stringify(reports));
    const fingerprint = reports.find((r) => r.mcp?.method === 'tools/call' && r.verdict === 'valid' && r.token?.fingerprint)?.token?.fingerprint;
    const mine = reports.filter((r) => r.token?.fingerprint === fingerprint && r.mcp);
    const methods = mine.map((r) => r.mcp?.method);
    expect(methods.filter((m) => m === 'tools/call')).toHaveLength(1);
    // Three connections sent three initialize, three notifications and three GETs (405): the first initialize is kept.
    expect(mine.length).toBe(2);
    for (const r of mine) expectSchemaValid(r);
    await host.waitForOutput(/mcp=tools\/call\/token_report status=200/);
  });
});

describe('strict mode: 401 with RFC 9728 discovery, followed by the SDK client', () => {
  test('no token: 401, WWW-Authenticate with resource_metadata and scope; the SDK helpers read it and fetch the metadata', async () => {
    const res = await fetch(`${strictHost.url}/api/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}',
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: number; data: { verdict: string } } };
    expect(body.error.data.verdict).toBe('no_token');
    const params = extractWWWAuthenticateParams(res);
    expect(params.resourceMetadataUrl?.href).toBe(`${strictHost.url}/api/.well-known/oauth-protected-resource`);
    expect(params.scope).toBe(`${DEMO_API_URI}/access_as_user`);
    expect(params.error).toBeUndefined();
    const metadata = await discoverOAuthProtectedResourceMetadata(`${strictHost.url}/api/mcp`, { resourceMetadataUrl: params.resourceMetadataUrl ?? '' });
    // RFC 9728 §2: resource is REQUIRED, an absolute URL without a fragment, and (§3.3) the resource
    // the client asked for; the other members are as configured.
    expect(metadata.resource).toBe(`${strictHost.url}/api/mcp`);
    expect(new URL(metadata.resource).hash).toBe('');
    expect(metadata.authorization_servers).toEqual([`${authority.url}/${authority.tenant.id}/v2.0`]);
    expect(metadata.scopes_supported).toEqual([`${DEMO_API_URI}/access_as_user`]);
    expect(metadata.bearer_methods_supported).toEqual(['header']);
  });

  test('an invalid token: error="invalid_token"; a valid one is served', async () => {
    const bad = await post(strictHost.url, '{"jsonrpc":"2.0","id":1,"method":"ping"}', { authorization: `Bearer ${await mint({ aud: 'https://apihub.azure.com' })}` });
    expect(bad.status).toBe(401);
    expect(extractWWWAuthenticateParams(bad.res).error).toBe('invalid_token');
    const good = await post(strictHost.url, '{"jsonrpc":"2.0","id":1,"method":"ping"}', { authorization: `Bearer ${await mint()}` });
    expect(good.status).toBe(200);
    // ?strict=true does the same on a host without the setting.
    expect((await post(host.url, '{"jsonrpc":"2.0","id":1,"method":"ping"}')).status).toBe(200);
    const res = await fetch(`${host.url}/api/mcp?strict=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(res.status).toBe(401);
    answers.push(await res.text());
  });

  test('the SDK client with a pre-registered app (Manual OAuth) follows the challenge to Entra\'s authorize endpoint with the resource and scope', async () => {
    let authorizeUrl: URL | undefined;
    const provider: OAuthClientProvider = {
      redirectUrl: 'http://localhost:9/callback',
      clientMetadata: { redirect_uris: ['http://localhost:9/callback'], client_name: 'token-echo-test' },
      clientInformation: () => ({ client_id: DEMO_CONNECTOR_CLIENT_ID }),
      tokens: () => undefined,
      saveTokens: () => {},
      redirectToAuthorization: (url) => {
        authorizeUrl = url;
      },
      saveCodeVerifier: () => {},
      codeVerifier: () => 'verifier',
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${strictHost.url}/api/mcp`), { authProvider: provider });
    const client = new Client({ name: 'token-echo-test', version: '1.0.0' });
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(authorizeUrl?.origin + (authorizeUrl?.pathname ?? '')).toBe(`${authority.url}/${authority.tenant.id}/oauth2/v2.0/authorize`);
    expect(authorizeUrl?.searchParams.get('client_id')).toBe(DEMO_CONNECTOR_CLIENT_ID);
    expect(authorizeUrl?.searchParams.get('scope')).toBe(`${DEMO_API_URI}/access_as_user`);
    expect(authorizeUrl?.searchParams.get('resource')).toBe(`${strictHost.url}/api/mcp`);
  });
});

describe('discovery and registration paths beside /api/mcp', () => {
  test('the metadata document is served at the prefix\'s well-known path and its /mcp form', async () => {
    for (const path of ['/api/.well-known/oauth-protected-resource', '/api/.well-known/oauth-protected-resource/mcp', '/api/.well-known/oauth-protected-resource/api/mcp']) {
      const res = await fetch(`${host.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as { resource: string }).resource).toBe(`${host.url}/api/mcp`);
    }
  });

  test('authorization-server metadata and registration: 404 with the explanation (Entra ID has no dynamic registration)', async () => {
    for (const [path, method, pattern] of [
      ['/api/.well-known/oauth-authorization-server', 'GET', /not the authorization server/],
      ['/api/.well-known/openid-configuration', 'GET', /not the authorization server/],
      ['/api/mcp/register', 'POST', /dynamic client registration/],
    ] as const) {
      const res = await fetch(`${host.url}${path}`, { method, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
      expect(res.status, path).toBe(404);
      const body = (await res.json()) as { message: string; mcpEndpoint: string };
      expect(body.message).toMatch(pattern);
      expect(body.message).toMatch(/Manual/);
      expect(body.mcpEndpoint).toBe(`${host.url}/api/mcp`);
    }
    const res = await fetch(`${host.url}/api/reports?limit=100`, { headers: { 'x-functions-key': host.key ?? '' } });
    const { reports } = (await res.json()) as { reports: Report[] };
    expect(reports.some((r) => r.mcp?.endpoint === 'discovery' && r.request.path === '/api/mcp/register' && r.mcp.status === 404)).toBe(true);
  });
});

describe('no secret leaves', () => {
  test('no token sent appears in any answer', () => {
    const all = answers.join('\n');
    for (const token of sentTokens) expect(all.includes(token)).toBe(false);
    for (const token of sentTokens) expect(all.includes(token.split('.')[2] ?? '')).toBe(false);
  });
});
