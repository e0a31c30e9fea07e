import { describe, expect, test } from 'vitest';

import { loadConfig } from '../../src/config.js';
import { hostPolicy, rebindingRefusal } from '../../src/mcp/origin.js';
import { INVALID_REQUEST, PARSE_ERROR, readMessage } from '../../src/mcp/protocol.js';
import { HistoryGate, MAX_REMEMBERED, QUIET_MS, withMcp } from '../../src/mcp/recording.js';
import { mcpChallenge, mcpResourceUrl, metadataUrl, qualifiedScopes, resourceMetadata } from '../../src/mcp/resource-metadata.js';
import { reportOutputSchema, reportText } from '../../src/mcp/tool.js';
import { headerRefusal } from '../../src/mcp/transport.js';
import type { McpInfo, Report } from '../../src/report/report.js';
import { reportSchema } from '../../src/report/schema.js';
import { telemetryEvent } from '../../src/sinks/telemetry-event.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { call } from '../helpers/world.js';

describe('reading one JSON-RPC message', () => {
  test('a request, a notification and a response are told apart', () => {
    const req = readMessage('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"token_report"}}');
    expect(req).toMatchObject({ ok: true, facts: { kind: 'request', id: 7, method: 'tools/call', tool: 'token_report' } });
    expect(readMessage('{"jsonrpc":"2.0","method":"notifications/initialized"}')).toMatchObject({ ok: true, facts: { kind: 'notification', id: null } });
    expect(readMessage('{"jsonrpc":"2.0","id":"a","result":{}}')).toMatchObject({ ok: true, facts: { kind: 'response' } });
    expect(readMessage('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}')).toMatchObject({ facts: { protocolVersion: '2025-06-18' } });
  });

  test.each([
    ['not JSON', '{"jsonrpc":', 400, PARSE_ERROR, null],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', 400, INVALID_REQUEST, null],
    ['a number', '42', 400, INVALID_REQUEST, null],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","id":3,"method":"ping"}', 400, INVALID_REQUEST, 3],
    ['a method that is not a string', '{"jsonrpc":"2.0","id":4,"method":5}', 400, INVALID_REQUEST, 4],
    ['a null id', '{"jsonrpc":"2.0","id":null,"method":"ping"}', 400, INVALID_REQUEST, null],
    ['params that are an array', '{"jsonrpc":"2.0","id":"x","method":"ping","params":[1]}', 400, INVALID_REQUEST, 'x'],
    ['neither a method nor a result', '{"jsonrpc":"2.0","id":9}', 400, INVALID_REQUEST, 9],
  ])('%s is refused with the JSON-RPC code for it', (_name, text, status, code, id) => {
    const read = readMessage(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.refusal).toMatchObject({ status, code, id });
  });
});

describe('the transport rules on headers', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  test('JSON accepted, JSON sent, a supported version (or none)', () => {
    expect(headerRefusal(headers({ accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-06-18' }))).toBeNull();
    expect(headerRefusal(headers({ 'content-type': 'application/json; charset=utf-8' }))).toBeNull();
    expect(headerRefusal(headers({ accept: 'text/event-stream', 'content-type': 'application/json' }))?.status).toBe(406);
    expect(headerRefusal(headers({ accept: 'application/json', 'content-type': 'text/plain' }))?.status).toBe(415);
    expect(headerRefusal(headers({ accept: 'application/json' }))?.status).toBe(415);
    expect(headerRefusal(headers({ 'content-type': 'application/json', 'mcp-protocol-version': '2099-01-01' }))?.status).toBe(400);
  });
});

describe('DNS-rebinding protection', () => {
  const local = hostPolicy({});
  const azure = hostPolicy({ WEBSITE_INSTANCE_ID: 'abc' });
  expect(hostPolicy({ WEBSITE_SITE_NAME: 'contoso-echo' }).inAzure).toBe(true);
  test('off Azure only loopback host names are served', () => {
    expect(local.inAzure).toBe(false);
    for (const host of ['localhost:7071', '127.0.0.1:7071', '[::1]:7071', 'localhost']) expect(rebindingRefusal(host, null, local), host).toBeNull();
    expect(rebindingRefusal('evil.example.com:7071', 'http://evil.example.com:7071', local)).toMatch(/^Forbidden: Host/);
    expect(rebindingRefusal(null, null, local)).toMatch(/^Forbidden/);
  });
  test('an Origin must be this origin (or loopback to loopback)', () => {
    expect(rebindingRefusal('localhost:7071', 'http://localhost:7071', local)).toBeNull();
    expect(rebindingRefusal('localhost:7071', 'http://localhost:6274', local)).toBeNull();
    expect(rebindingRefusal('localhost:7071', 'https://evil.example.com', local)).toMatch(/^Forbidden: Origin/);
    expect(rebindingRefusal('app.azurewebsites.net', 'https://app.azurewebsites.net', azure)).toBeNull();
    expect(rebindingRefusal('app.azurewebsites.net', null, azure)).toBeNull();
    expect(rebindingRefusal('app.azurewebsites.net', 'https://evil.example.com', azure)).toMatch(/^Forbidden: Origin/);
    expect(rebindingRefusal('app.azurewebsites.net', 'null', azure)).toMatch(/^Forbidden: Origin/);
  });
});

describe('protected resource metadata (RFC 9728)', () => {
  const settings = loadConfig({ TOKEN_ECHO_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', TOKEN_ECHO_AUDIENCES: '8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b', TOKEN_ECHO_SCOPES: 'access_as_user' });
  test('the resource is the MCP endpoint, wherever the request came in beside it', () => {
    for (const url of ['https://a.net/api/mcp', 'https://a.net/api/mcp?strict=true', 'https://a.net/api/.well-known/oauth-protected-resource', 'https://a.net/api/.well-known/oauth-protected-resource/mcp', 'https://a.net/api/mcp/register']) {
      expect(mcpResourceUrl(url), url).toBe('https://a.net/api/mcp');
    }
    expect(mcpResourceUrl('https://a.net/mcpapps/mcp')).toBe('https://a.net/mcpapps/mcp');
    expect(metadataUrl('https://a.net/api/mcp')).toBe('https://a.net/api/.well-known/oauth-protected-resource');
  });
  test('scopes are fully qualified with the App ID URI', () => {
    expect(qualifiedScopes(settings)).toEqual(['api://8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b/access_as_user']);
    expect(qualifiedScopes({ scopes: ['access_as_user', 'api://x/other'], audiences: ['8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b', 'https://contoso.com/api/'] })).toEqual(['https://contoso.com/api/access_as_user', 'api://x/other']);
    expect(qualifiedScopes({ scopes: ['read'], audiences: [] })).toEqual(['read']);
  });
  test('the document: resource, the tenant\'s v2.0 issuer, scopes, header only', () => {
    expect(resourceMetadata('https://a.net/api/mcp', settings)).toEqual({
      resource: 'https://a.net/api/mcp',
      authorization_servers: ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0'],
      scopes_supported: ['api://8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b/access_as_user'],
      bearer_methods_supported: ['header'],
      resource_name: 'token-echo',
    });
    expect(resourceMetadata('https://a.net/api/mcp', loadConfig({}))).toEqual({ resource: 'https://a.net/api/mcp', bearer_methods_supported: ['header'], resource_name: 'token-echo' });
  });
  test('the challenge: resource_metadata, error only with a token (RFC 6750 §3.1), scope', async () => {
    const none = await call(settings, null, {});
    expect(mcpChallenge(none, 'https://a.net/api/mcp', settings)).toBe(
      'Bearer resource_metadata="https://a.net/api/.well-known/oauth-protected-resource", scope="api://8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b/access_as_user"',
    );
    const bad = await call(settings, null, { authorization: 'Bearer not.a.jwt' });
    expect(mcpChallenge(bad, 'https://a.net/api/mcp', settings)).toMatch(/^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]*", scope="[^"]+"$/);
  });
});

describe('recording', () => {
  const info = (method: string | null, status = 200, errorCode: number | null = null): McpInfo => ({ endpoint: 'mcp', method, tool: null, protocolVersion: null, status, errorCode });
  test('tool calls and failures are always kept; other requests once per token and verdict per quiet period', async () => {
    let now = 0;
    const gate = new HistoryGate(() => now);
    const report = await call(loadConfig({}), null, {});
    expect(gate.keep(report, info('initialize'))).toBe(true);
    expect(gate.keep(report, info('tools/list'))).toBe(false);
    expect(gate.keep(report, info('initialize'))).toBe(false);
    expect(gate.keep(report, { ...info('tools/call'), tool: 'token_report' })).toBe(true);
    expect(gate.keep(report, info('tools/call'))).toBe(true);
    expect(gate.keep(report, info('initialize', 400, INVALID_REQUEST))).toBe(true);
    expect(gate.keep(report, info('ping', 200, -32601))).toBe(true);
    // GET (and DELETE) get 405 after every initialize of the SDK client: routine, not a failure.
    expect(gate.keep(report, info(null, 405, -32000))).toBe(false);
    expect(gate.keep(report, { ...info(null), endpoint: 'discovery' })).toBe(true);
    now += QUIET_MS;
    expect(gate.keep(report, info('initialize'))).toBe(true);
    const other = await call(loadConfig({}), null, { authorization: 'Bearer a.b.c' });
    expect(gate.keep(other, info('initialize'))).toBe(true);
  });
  test('the gate remembers a bounded number of tokens', async () => {
    const gate = new HistoryGate(() => 0);
    const report = await call(loadConfig({}), null, {});
    for (let i = 0; i <= MAX_REMEMBERED; i += 1) gate.keep({ ...report, token: { fingerprint: `sha256:${i}` } as Report['token'] }, info('initialize'));
    // The first one was dropped to make room: it is kept again.
    expect(gate.keep({ ...report, token: { fingerprint: 'sha256:0' } as Report['token'] }, info('initialize'))).toBe(true);
    expect(gate.keep({ ...report, token: { fingerprint: `sha256:${MAX_REMEMBERED}` } as Report['token'] }, info('initialize'))).toBe(false);
  });
  test('the recorded JSON is JSON.stringify of the report with its mcp field, and matches the schema', async () => {
    const core = await call(loadConfig({}), null, { authorization: 'Bearer a.b.c' });
    const { report, json } = withMcp(core, { ...info('tools/call'), tool: 'token_report', protocolVersion: '2025-06-18' });
    expect(json).toBe(JSON.stringify(report));
    expectSchemaValid(JSON.parse(json));
  });
});

describe('the tool', () => {
  test('its output schema is the report schema without $schema and $id', () => {
    expect(reportOutputSchema).toEqual(Object.fromEntries(Object.entries(reportSchema).filter(([k]) => !k.startsWith('$'))));
    expect(Object.keys(reportSchema).filter((k) => k.startsWith('$'))).toEqual(['$schema', '$id']);
    expect(reportOutputSchema['type']).toBe('object');
  });
  test('the short text names verdict, summary, first reasons with fixes, aud, scp, client', async () => {
    const report = await call(loadConfig({ TOKEN_ECHO_AUDIENCES: 'api://mine' }), null, { authorization: 'Bearer a.b.c' });
    const text = reportText(report);
    expect(text).toMatch(/^token-echo verdict: invalid\n/);
    expect(text).toContain(report.summary);
    expect(text).toContain(`- ${report.reasons[0]?.code}`);
    expect(text).toContain('Fix: ');
    expect(text).toContain(report.id);
  });
});

describe('the telemetry event of an MCP call', () => {
  test('carries the JSON-RPC method, tool and protocol version as dimensions; other calls do not', async () => {
    const core = await call(loadConfig({}), null, {});
    const mcp: McpInfo = { endpoint: 'mcp', method: 'tools/call', tool: 'token_report', protocolVersion: '2025-06-18', status: 200, errorCode: null };
    expect(telemetryEvent({ ...core, mcp }, 'identifiers').properties).toMatchObject({ mcpMethod: 'tools/call', mcpTool: 'token_report', mcpProtocolVersion: '2025-06-18' });
    expect(telemetryEvent(core, 'identifiers').properties).not.toHaveProperty('mcpMethod');
  });
});
