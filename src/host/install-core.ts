import Module from 'node:module';

import type { LocalFunctionsCore } from './functions-core.js';

type RequireFn = (this: unknown, id: string) => unknown;

/**
 * Makes `require('@azure/functions-core')` return the local core, as the worker does
 * (worker src/setupCoreModule.ts). `@azure/functions` caches a failed lookup, so this must run
 * before the app (or applicationinsights) loads it.
 */
export function installFunctionsCore(core: LocalFunctionsCore): void {
  const proto = Module.prototype as unknown as { require: RequireFn };
  const original = proto.require;
  proto.require = function (this: unknown, id: string): unknown {
    if (id === '@azure/functions-core') return core;
    // eslint-disable-next-line prefer-rest-params
    return Reflect.apply(original, this, arguments);
  };
}
