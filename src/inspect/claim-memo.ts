import type { Settings } from '../config.js';
import { Findings } from './findings.js';
import type { MetadataResult, SigningKey, TenantMetadata } from './key-source.js';
import type { TokenFacts } from './token-memo.js';

/**
 * The claim checks depend only on the token, the settings, the tenant's metadata and the signing key:
 * a token sent again meets the same ones, so they are worked out once (lifetime is per call). Only
 * results from settled inputs are kept: no metadata configured, or metadata fetched. The checks and
 * reasons kept are frozen: reports share them.
 */
interface ClaimFindingsMemo {
  settings: Settings;
  metadata: TenantMetadata | null;
  key: SigningKey | undefined;
  findings: Findings;
}
const claimMemo = new WeakMap<TokenFacts, ClaimFindingsMemo>();

export function memoizedClaimFindings(facts: TokenFacts, settings: Settings, metadata: MetadataResult | null, key: SigningKey | undefined, compute: (g: Findings) => void): Findings {
  if (metadata !== null && !metadata.ok) return run(compute);
  const metadataRef = metadata === null ? null : metadata.metadata;
  const known = claimMemo.get(facts);
  if (known && known.settings === settings && known.metadata === metadataRef && known.key === key) return known.findings;
  const findings = run(compute);
  for (const check of findings.checks.values()) Object.freeze(check);
  for (const r of findings.reasons) Object.freeze(r);
  claimMemo.set(facts, { settings, metadata: metadataRef, key, findings });
  return findings;
}

function run(compute: (g: Findings) => void): Findings {
  const g = new Findings();
  compute(g);
  return g;
}
