/** What the core needs to know of an HTTP call: built by the edge from HttpRequest (or by the CLI). */
export interface RequestFacts {
  method: string;
  /** Absolute URL, or path and query. */
  url: string;
  /** Header names in any case; a name given twice is joined with ", " (RFC 9110 §5.3). */
  headers: Iterable<readonly [string, string]>;
  bodySize: number;
  /** The body, when the edge read it: only a bounded, redacted preview of it reaches the report. */
  body?: Uint8Array | null;
}

export function headerMap(headers: Iterable<readonly [string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return map;
}
