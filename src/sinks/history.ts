import { REASON_CODES, type ReasonCode } from '../report/reasons.js';
import { type Report, VERDICTS, type Verdict } from '../report/report.js';

/**
 * The report history: every report is kept, bounded by count and age, the oldest going first.
 * Implemented in memory (per instance) and in Azure Table Storage (shared by the app's instances);
 * both pass the same test suite (test/sinks/history.test.ts).
 */
export interface HistoryFilter {
  limit: number;
  verdict?: Verdict;
  code?: ReasonCode;
  since?: Date;
}

export interface HistoryStore {
  readonly kind: 'memory' | 'table';
  /** `json`: the report's JSON when the caller has it already (the answer's body). */
  add(report: Report, json?: string): Promise<void>;
  /** Newest first. */
  list(filter: HistoryFilter): Promise<Report[]>;
  get(id: string): Promise<Report | null>;
  /** Removes every report; returns how many there were. */
  clear(): Promise<number>;
  /** Resolves once every report added so far is stored (the table history writes behind the calls). */
  flush?(): Promise<void>;
}

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

export type FilterResult = { ok: true; filter: HistoryFilter } | { ok: false; problems: string[] };

/** Parses `?limit=&verdict=&code=&since=`; every bad filter is named. */
export function parseFilter(query: URLSearchParams): FilterResult {
  const problems: string[] = [];
  const filter: HistoryFilter = { limit: DEFAULT_LIST_LIMIT };
  const limit = query.get('limit');
  if (limit !== null) {
    if (/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= MAX_LIST_LIMIT) filter.limit = Number(limit);
    else problems.push(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, not ${JSON.stringify(limit)}`);
  }
  const verdict = query.get('verdict');
  if (verdict !== null) {
    if ((VERDICTS as readonly string[]).includes(verdict)) filter.verdict = verdict as Verdict;
    else problems.push(`verdict must be one of ${VERDICTS.join(', ')}, not ${JSON.stringify(verdict)}`);
  }
  const code = query.get('code');
  if (code !== null) {
    if ((REASON_CODES as readonly string[]).includes(code)) filter.code = code as ReasonCode;
    // The value is not repeated: in a query string, "code" may be a mistyped function key.
    else problems.push('code (or reason) must be a reason code such as AUDIENCE_MISMATCH');
  }
  const since = query.get('since');
  if (since !== null) {
    const date = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(since) ? new Date(since) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) problems.push(`since must be an ISO 8601 date or time, not ${JSON.stringify(since)}`);
    else filter.since = date;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, filter };
}

export function matches(report: Report, filter: HistoryFilter): boolean {
  if (filter.verdict !== undefined && report.verdict !== filter.verdict) return false;
  if (filter.code !== undefined && !report.reasons.some((r) => r.code === filter.code)) return false;
  if (filter.since !== undefined && Date.parse(report.receivedAt) < filter.since.getTime()) return false;
  return true;
}
