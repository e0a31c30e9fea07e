import path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { ROOT, type SpawnedHost, rawRequest, spawnHost } from '../helpers/spawn-host.js';

/** The local Functions host, end to end over HTTP, serving a fixture app as `func start` would. */
let host: SpawnedHost;

beforeAll(async () => {
  host = await spawnHost({ args: ['--app-dir', path.join(ROOT, 'test/fixtures/host-app')], env: { OVERRIDDEN: 'from-env' } });
});
afterAll(() => host.stop());

describe('routing', () => {
  test('routePrefix, route parameters and the query reach the function', async () => {
    const res = await fetch(`${host.url}/api/hello/ada?x=1&y=two`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'ada', query: { x: '1', y: 'two' }, method: 'GET' });
    expect(body['url']).toMatch(/\/api\/hello\/ada\?x=1&y=two$/);
    expect(body['traceParent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  test('literals match without regard to case; an optional parameter may be absent', async () => {
    const res = await fetch(`${host.url}/API/Hello`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: unknown }).name).toBeNull();
  });

  test('an incoming traceparent is passed to the invocation', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await fetch(`${host.url}/api/hello`, { headers: { traceparent } });
    expect(((await res.json()) as { traceParent: unknown }).traceParent).toBe(traceparent);
  });

  test('an unknown route, a path outside the prefix and a method not listed all get 404 with an empty body', async () => {
    for (const [url, method] of [
      [`${host.url}/api/nope`, 'GET'],
      [`${host.url}/hello`, 'GET'],
      [`${host.url}/api/hello`, 'POST'],
    ] as const) {
      const res = await fetch(url, { method });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(await res.text()).toBe('');
    }
  });

  test('the request body reaches the function; status, body and cookies come back', async () => {
    const res = await fetch(`${host.url}/api/body`, { method: 'POST', body: 'héllo' });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('héllo');
    expect(res.headers.get('set-cookie')).toMatch(/^a=b/);
  });
});

describe('function keys', () => {
  test('a function-level function refuses a call without the key: 401, empty body', async () => {
    const res = await fetch(`${host.url}/api/secret`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('');
    expect((await fetch(`${host.url}/api/secret`, { headers: { 'x-functions-key': 'wrong' } })).status).toBe(401);
  });

  test('the key is accepted in x-functions-key or ?code=, and the header wins', async () => {
    expect(host.key).toMatch(/^[A-Za-z0-9_-]{40}$/);
    const key = host.key as string;
    expect(await (await fetch(`${host.url}/api/secret`, { headers: { 'x-functions-key': key } })).text()).toBe('secret ok');
    expect((await fetch(`${host.url}/api/secret?code=${encodeURIComponent(key)}`)).status).toBe(200);
    expect((await fetch(`${host.url}/api/secret?code=${encodeURIComponent(key)}`, { headers: { 'x-functions-key': 'wrong' } })).status).toBe(401);
    expect((await fetch(`${host.url}/api/admin-only`, { headers: { 'x-functions-key': key } })).status).toBe(200);
    expect((await fetch(`${host.url}/api/admin-only`)).status).toBe(401);
  });

  test('TOKEN_ECHO_LOCAL_KEY chooses the key, and it is not printed', async () => {
    const chosen = await spawnHost({ args: ['--app-dir', path.join(ROOT, 'test/fixtures/host-app')], env: { TOKEN_ECHO_LOCAL_KEY: 'my-local-key-123' } });
    try {
      expect(chosen.key).toBeNull();
      expect(chosen.output()).not.toContain('my-local-key-123');
      expect((await fetch(`${chosen.url}/api/secret`, { headers: { 'x-functions-key': 'my-local-key-123' } })).status).toBe(200);
    } finally {
      await chosen.stop();
    }
  });
});

describe('the invocation, as the worker runs it', () => {
  test('a function that throws gets 500 with an empty body, and the host keeps serving', async () => {
    const res = await fetch(`${host.url}/api/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(await host.waitForOutput(/fixture failure/)).toContain('fixture failure');
    expect((await fetch(`${host.url}/api/hello`)).status).toBe(200);
  });

  test('a function that returns nothing gets 204', async () => {
    expect((await fetch(`${host.url}/api/nothing`)).status).toBe(204);
  });

  test('a preInvocation hook that replaces the handler is honoured', async () => {
    expect(await (await fetch(`${host.url}/api/hooked`)).text()).toBe('replaced by a hook');
  });

  test('local.settings.json values become settings, without overriding the environment', async () => {
    const body = (await (await fetch(`${host.url}/api/hello`)).json()) as Record<string, unknown>;
    expect(body['setting']).toBe('from-file');
    expect(body['overridden']).toBe('from-env');
  });
});

describe('oversized headers', () => {
  test('a 60 KiB header is accepted; a 1 MB header gets 431, and the host keeps serving', async () => {
    const { hostname, port } = new URL(host.url);
    const ok = await rawRequest(host.url, [`GET /api/hello HTTP/1.1`, `Host: ${hostname}:${port}`, `X-Big: ${'a'.repeat(60 * 1024)}`]);
    expect(ok.status).toBe(200);
    const big = await rawRequest(host.url, [`GET /api/hello HTTP/1.1`, `Host: ${hostname}:${port}`, `X-Big: ${'a'.repeat(1024 * 1024)}`]);
    expect(big.status).toBe(431);
    expect((await fetch(`${host.url}/api/hello`)).status).toBe(200);
  });
});
