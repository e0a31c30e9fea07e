/**
 * The `@azure/functions-core` stand-in: the object the Azure Functions Node worker hands to
 * `@azure/functions` (types-core/index.d.ts in Azure/azure-functions-nodejs-library; see
 * shared/reference/azure-functions-node.md §2.4). It records registrations and hooks; the local
 * host drives invocations through the programming model exactly as the worker does.
 */
export interface RpcBindingInfo {
  type?: string;
  direction?: 'in' | 'out' | 'inout';
  route?: string;
  methods?: string[];
  authLevel?: string;
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBindingInfo>;
  [key: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ returnValue?: unknown; outputData?: unknown[] }>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: unknown): InvocationModel | Promise<InvocationModel>;
  getCapabilities?(capabilities: Record<string, string>): Record<string, string> | Promise<Record<string, string>>;
}

export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type LogSink = (level: LogLevel, category: string, message: string) => void;

export class Disposable {
  static from(...inputs: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => {
      for (const input of inputs) input.dispose();
    });
  }
  #callOnDispose: (() => unknown) | undefined;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  dispose(): unknown {
    const fn = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return fn?.();
  }
}

export const HOOK_NAMES = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface RegisteredFunction {
  id: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

export class LocalFunctionsCore {
  readonly version = '3.10.1';
  readonly hostVersion = '4.1040.0';
  readonly Disposable = Disposable;
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, Set<HookCallback>>(HOOK_NAMES.map((n) => [n, new Set()]));
  #programmingModel: ProgrammingModel | undefined;
  #locked = false;
  readonly #sink: LogSink;

  constructor(sink: LogSink) {
    this.#sink = sink;
  }

  /** After the app's entry points load, no more functions may be registered (worker registerFunction.ts). */
  lock(): void {
    this.#locked = true;
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.#locked) throw new Error('A function can only be registered during app startup.');
    const id = metadata.functionId ?? metadata.name;
    if (this.functions.has(id)) throw new Error(`A function with the name "${id}" has already been registered.`);
    this.functions.set(id, { id, metadata, callback });
    return new Disposable(() => {
      if (this.#locked) throw new Error('A function can only be disposed during app startup.');
      this.functions.delete(id);
    });
  }

  registerHook(hookName: string, callback: HookCallback): Disposable {
    const set = this.hooks.get(hookName as HookName);
    if (!set) throw new RangeError(`Unrecognized hook "${hookName}"`);
    set.add(callback);
    return new Disposable(() => set.delete(callback));
  }

  setProgrammingModel(pm: ProgrammingModel): void {
    this.#programmingModel = pm;
  }

  getProgrammingModel(): ProgrammingModel {
    if (!this.#programmingModel) throw new Error('No programming model was set: the app did not load @azure/functions.');
    return this.#programmingModel;
  }

  log(level: LogLevel, category: string, message: string): void {
    this.#sink(level, category, message);
  }
}
