import { randomUUID } from 'node:crypto';

import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { LATEST_VERSION, SUPPORTED_VERSIONS, dispatch } from '../../src/mcp/dispatch.js';
import { withMcp } from '../../src/mcp/recording.js';
import type { Report } from '../../src/report/report.js';
import { call, keyStoreFor, settingsFor } from '../helpers/world.js';
import { sdkReference } from './sdk-server.js';

/**
 * token-echo answers MCP itself (src/mcp/dispatch.ts says why); the official SDK's Server is the
 * reference: every message below goes to both, and the answers must be the same JSON.
 */
let authority: DevAuthority;
let report: Report;
let json: string;

beforeAll(async () => {
  authority = await startAuthority();
  const settings = settingsFor(authority);
  const core = await call(settings, keyStoreFor(settings), { token: await authority.mint(), method: 'POST', url: 'http://localhost/api/mcp' });
  ({ report, json } = withMcp(core, { endpoint: 'mcp', method: 'tools/call', tool: 'token_report', protocolVersion: '2025-11-25', status: 200, errorCode: null }));
});
afterAll(() => authority.stop());

const VERSION = '9.9.9-test';

async function both(message: Record<string, unknown> & { id: string | number }): Promise<{ ours: unknown; sdk: unknown }> {
  const ours = JSON.parse(dispatch(message, message.id, report, json, VERSION).body) as unknown;
  const sdk = await sdkReference(VERSION).request(message, report);
  return { ours, sdk };
}

describe('the MCP answers equal the official SDK Server\'s', () => {
  test('the versions negotiated are the SDK\'s', () => {
    expect(SUPPORTED_VERSIONS).toEqual(SUPPORTED_PROTOCOL_VERSIONS);
    expect(LATEST_VERSION).toBe(LATEST_PROTOCOL_VERSION);
  });

  for (const asked of ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '1999-01-01']) {
    test(`initialize asking for ${asked}`, async () => {
      const { ours, sdk } = await both({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: asked, capabilities: {}, clientInfo: { name: 'parity', version: '1' } } });
      expect(ours).toEqual(sdk);
      expect((ours as { result: { protocolVersion: string } }).result.protocolVersion).toBe(asked === '1999-01-01' ? '2025-11-25' : asked);
    });
  }

  const cases: Array<[string, Record<string, unknown> & { id: string | number }]> = [
    ['ping', { jsonrpc: '2.0', id: 'p-1', method: 'ping' }],
    ['ping with params', { jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: { progressToken: 1 } } }],
    ['tools/list', { jsonrpc: '2.0', id: 3, method: 'tools/list' }],
    ['tools/list with a cursor', { jsonrpc: '2.0', id: 4, method: 'tools/list', params: { cursor: 'x' } }],
    ['tools/call token_report', { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'token_report', arguments: {} } }],
    ['tools/call token_report without arguments', { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'token_report' } }],
    ['tools/call of an unknown tool', { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'nope', arguments: {} } }],
    ['an unknown method', { jsonrpc: '2.0', id: 8, method: 'resources/list' }],
    ['another unknown method', { jsonrpc: '2.0', id: 9, method: 'prompts/get', params: { name: 'x' } }],
  ];
  for (const [name, message] of cases) {
    test(name, async () => {
      const { ours, sdk } = await both(message);
      expect(ours).toEqual(sdk);
    });
  }

  test('concurrent callers with the same id each get their own report', async () => {
    const reports = [0, 1, 2].map((i) => ({ ...report, id: randomUUID(), summary: `caller ${i}` }));
    const message = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'token_report' } };
    const answers = await Promise.all(reports.map((r) => sdkReference(VERSION).request(message, r)));
    expect(answers.map((a) => (a['result'] as { structuredContent: Report }).structuredContent.id)).toEqual(reports.map((r) => r.id));
    const ours = reports.map((r) => JSON.parse(dispatch(message, 1, r, JSON.stringify(r), VERSION).body) as { result: { structuredContent: Report } });
    expect(ours.map((a) => a.result.structuredContent.id)).toEqual(reports.map((r) => r.id));
  });
});
