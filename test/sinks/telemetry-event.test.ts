import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { loadConfig } from '../../src/config.js';
import { inspect } from '../../src/inspect/inspect.js';
import { telemetryEvent } from '../../src/sinks/telemetry-event.js';
import { ROOT } from '../helpers/spawn-host.js';

async function sampleEvent(logClaims: 'identifiers' | 'all') {
  const claims = Buffer.from(JSON.stringify({ aud: 'api://x', name: 'Adele Vance', upn: 'adele@contoso.com', ipaddr: '203.0.113.7', oid: 'o', exp: 4102444800 })).toString('base64url');
  const report = await inspect({ method: 'GET', url: '/api/echo', headers: [['authorization', `Bearer eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`]], bodySize: 0 }, loadConfig({}), null, {
    now: new Date(),
    id: randomUUID(),
  });
  return telemetryEvent(report, logClaims);
}

describe('the telemetry event', () => {
  test('identifiers: no display name, e-mail, upn or IP address', async () => {
    const event = await sampleEvent('identifiers');
    const text = JSON.stringify(event);
    for (const personal of ['Adele Vance', 'adele@contoso.com', '203.0.113.7']) expect(text).not.toContain(personal);
    expect(event.properties['oid']).toBe('o');
    expect(event.properties['aud']).toBe('api://x');
  });

  test('all: every claim, as JSON', async () => {
    const event = await sampleEvent('all');
    expect(JSON.parse(event.properties['claims'] ?? '{}')).toMatchObject({ name: 'Adele Vance', upn: 'adele@contoso.com' });
  });

  test('the KQL in queries/ uses only dimensions the event has', async () => {
    const names = new Set(Object.keys((await sampleEvent('identifiers')).properties));
    const dir = path.join(ROOT, 'queries');
    const files = readdirSync(dir).filter((f) => f.endsWith('.kql'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text, file).toContain('"TokenEchoReport"');
      for (const [, name] of text.matchAll(/customDimensions\.(\w+)/g)) expect(names.has(name as string), `${file}: customDimensions.${name}`).toBe(true);
    }
  });
});
