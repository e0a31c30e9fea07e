/**
 * Route templates as the Functions host reads them (ASP.NET Core routing): literals match without
 * regard to case, `{name}` one segment, `{name?}` an optional one, `{name:int}` a constrained one,
 * `{*name}` the rest of the path (possibly empty, without its leading slash).
 */
type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; constraint: string | null }
  | { kind: 'catchAll'; name: string };

export interface CompiledRoute {
  template: string;
  /** Params of a matching path (already URL-decoded), or null. */
  match(path: string): Record<string, string> | null;
  /** The same, for a path split once (splitPath) and tried against every route. */
  matchParts(parts: PathParts): Record<string, string> | null;
  /** Sort key: literal routes before parameterised ones before catch-alls (ASP.NET route precedence). */
  precedence: number;
}

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  alpha: /^[a-z]+$/i,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  double: /^-?\d+(\.\d+)?$/,
  decimal: /^-?\d+(\.\d+)?$/,
  float: /^-?\d+(\.\d+)?$/,
};

/**
 * A request path's segments, URL-decoded (null where the escape is malformed) and lower-cased for
 * the literals, worked out once per request rather than once per route tried: a catch-all such as
 * `echo/{*path}` comes last in precedence, after every other route has been tried.
 */
export interface PathParts {
  decoded: ReadonlyArray<string | null>;
  lower: ReadonlyArray<string | null>;
}

export function splitPath(path: string): PathParts {
  const decoded = path
    .split('/')
    .filter((p) => p !== '')
    .map(decode);
  return { decoded, lower: decoded.map((d) => (d === null ? null : d.toLowerCase())) };
}

export function compileRoute(template: string): CompiledRoute {
  const segments: Segment[] = template
    .split('/')
    .filter((s) => s !== '')
    .map((s): Segment => {
      // {name}, {name?}, {name:int}, {name:int?}, {*name}
      const m = /^\{(\*?)([A-Za-z_]\w*)(\?)?(?::([A-Za-z]+)(?:\([^)]*\))?)?(\?)?\}$/.exec(s);
      if (!m) return { kind: 'literal', text: s.toLowerCase() };
      const name = m[2] as string;
      if (m[1] === '*') return { kind: 'catchAll', name };
      return { kind: 'param', name, optional: m[3] === '?' || m[5] === '?', constraint: m[4]?.toLowerCase() ?? null };
    });
  const precedence = segments.reduce((acc, s) => acc + (s.kind === 'literal' ? 0 : s.kind === 'param' ? 1 : 100), 0);

  const matchParts = ({ decoded, lower }: PathParts): Record<string, string> | null => {
    const params: Record<string, string> = {};
    let i = 0;
    for (const segment of segments) {
      if (segment.kind === 'catchAll') {
        // Escapes never span a '/', so the rest decoded part by part equals the rest decoded whole.
        const rest = decoded.slice(i);
        if (rest.includes(null)) return null;
        params[segment.name] = rest.join('/');
        return params;
      }
      if (i >= decoded.length) {
        if (segment.kind === 'param' && segment.optional) continue;
        return null;
      }
      const value = decoded[i] ?? null;
      if (value === null) return null;
      if (segment.kind === 'literal') {
        if (lower[i] !== segment.text) return null;
      } else {
        const rule = segment.constraint ? CONSTRAINTS[segment.constraint] : undefined;
        if (rule && !rule.test(value)) return null;
        params[segment.name] = value;
      }
      i += 1;
    }
    return i === decoded.length ? params : null;
  };
  return { template, precedence, match: (path) => matchParts(splitPath(path)), matchParts };
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
