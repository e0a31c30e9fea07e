import { CHECK_NAMES, REASON_CODES } from './reasons.js';
import { BODY_PREVIEW_MAX_CHARS, FRONT_DOOR_PROFILES, FRONT_DOOR_RULES, REPORT_VERSION, VERDICTS } from './report.js';

/**
 * The report's JSON Schema (draft 2020-12), written beside the Report type in ./report.ts and
 * published as schema/report.schema.json (`npm run generate`). The tests validate every report they
 * produce against it, with additionalProperties false, so the two cannot drift apart unnoticed.
 */
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const timeClaim = {
  type: 'object',
  additionalProperties: false,
  required: ['epoch', 'iso'],
  properties: { epoch: { type: 'number' }, iso: { type: 'string', format: 'date-time' } },
} as const;

export const reportSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:token-echo:report:1',
  title: 'token-echo report',
  description: 'What token-echo found in one call: the verdict, every check with expected and found values, reason codes with fixes, the decoded token and the connector headers. Never the raw token.',
  type: 'object',
  additionalProperties: false,
  required: ['reportVersion', 'id', 'receivedAt', 'verdict', 'summary', 'checks', 'reasons', 'token', 'connector', 'request'],
  properties: {
    reportVersion: { const: REPORT_VERSION, description: 'Version of this contract.' },
    id: { type: 'string', format: 'uuid' },
    receivedAt: { type: 'string', format: 'date-time' },
    verdict: {
      enum: [...VERDICTS],
      description: 'valid: passed every configured check; invalid: some check failed; no_token: no bearer token; unverified: nothing failed but the signature could not be checked.',
    },
    summary: { type: 'string', description: 'One plain-language line a person can act on.' },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'status'],
        properties: {
          name: { enum: [...CHECK_NAMES] },
          status: { enum: ['pass', 'fail', 'skip'] },
          expected: str,
          found: str,
          detail: str,
        },
      },
    },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'severity', 'message', 'fix'],
        properties: {
          code: { enum: [...REASON_CODES] },
          severity: { enum: ['error', 'warning', 'info'] },
          message: str,
          fix: str,
        },
      },
    },
    token: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['header', 'claims', 'times', 'expiresIn', 'version', 'kind', 'client', 'fingerprint', 'claimDescriptions'],
          properties: {
            header: { type: ['object', 'null'] },
            claims: { type: ['object', 'null'], description: 'The claims as decoded; trusted only when the verdict is valid.' },
            times: { type: 'object', additionalProperties: false, properties: { iat: timeClaim, nbf: timeClaim, exp: timeClaim } },
            expiresIn: { type: ['integer', 'null'], description: 'Seconds until exp at the time of the call; negative once expired.' },
            version: { enum: ['1.0', '2.0', null] },
            kind: { enum: ['user', 'app', null] },
            client: { ...nullableStr, description: 'azp (v2.0) or appid (v1.0): the calling application.' },
            fingerprint: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
            claimDescriptions: stringMap,
          },
        },
      ],
    },
    connector: {
      type: 'object',
      additionalProperties: false,
      required: ['oboHeader', 'caller', 'headers'],
      properties: {
        oboHeader: { ...nullableStr, description: 'The x-ms-apihub-obo header when the call carried it.' },
        caller: { enum: ['copilot-studio', 'power-automate', 'unknown'] },
        headers: stringMap,
      },
    },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'path', 'query', 'headers', 'bodySize', 'contentType'],
      properties: {
        method: str,
        path: str,
        query: stringMap,
        headers: stringMap,
        bodySize: { type: 'integer', minimum: 0 },
        contentType: nullableStr,
        bodyPreview: {
          type: ['string', 'null'],
          maxLength: BODY_PREVIEW_MAX_CHARS,
          description: 'When the call had a body: its start as text, secrets shown by their length; null when it is not text.',
        },
      },
    },
    mcp: {
      type: 'object',
      additionalProperties: false,
      description: 'Only on calls to the MCP endpoint (/api/mcp) and its discovery paths: what the MCP client asked and got.',
      required: ['endpoint', 'method', 'tool', 'protocolVersion', 'status', 'errorCode'],
      properties: {
        endpoint: { enum: ['mcp', 'discovery'] },
        method: { ...nullableStr, description: 'The JSON-RPC method (initialize, tools/list, tools/call, ...).' },
        tool: { ...nullableStr, description: 'The tool named by tools/call.' },
        protocolVersion: nullableStr,
        status: { type: 'integer', minimum: 100, maximum: 599, description: 'The HTTP status answered.' },
        errorCode: { type: ['integer', 'null'], description: 'The JSON-RPC error code answered, if any.' },
      },
    },
    validators: {
      type: 'array',
      description: 'What each front door (Microsoft.Identity.Web, Easy Auth, API Management, jose, jsonwebtoken, express-jwt, passport-azure-ad) would decide on this token and the first rule that refuses it. Present when the call carried a decodable token. The configuration snippets are in token-echo inspect and GET /api/reports/{id}/front-doors.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['profile', 'name', 'verdict'],
        properties: {
          profile: { enum: [...FRONT_DOOR_PROFILES] },
          name: str,
          verdict: { enum: ['accept', 'refuse', 'unknown'] },
          firstRefusal: {
            type: 'object',
            additionalProperties: false,
            required: ['rule', 'expected', 'found', 'source'],
            properties: {
              rule: { enum: [...FRONT_DOOR_RULES] },
              expected: str,
              found: str,
              source: { ...str, description: 'Where the rule comes from, resolved in docs/front-doors.md.' },
              setting: { ...str, description: 'The setting of that validator to change.' },
            },
          },
          snippet: { ...nullableStr, description: 'A configuration that accepts this token with the same intent as the settings (settings and claim values only); null when none does. Left out of the echo answer; token-echo inspect and GET /api/reports/{id}/front-doors carry it.' },
          snippetNote: { ...str, description: 'Why there is no snippet for this token.' },
          snippetForSettings: { ...nullableStr, description: 'The configuration the TOKEN_ECHO_* settings stand for, in this validator\'s terms; absent when it is the same text as snippet.' },
        },
      },
    },
  },
} as const;
