import { type Judgement, type TokenFacts, factsOf } from './token.js';
import type { FrontDoorInput, ProfileId, ProfileResult, Refusal } from './types.js';

/** What the settings cannot be turned into, for one validator (named by the setting to set). */
export interface ConfigProblem {
  problem: string;
  setting: string;
}

/**
 * One validator, as four pure parts: its configuration from the TOKEN_ECHO_* settings, its decision
 * on a token under a configuration, the same configuration widened to the forms the settings mean
 * (client ID and api:// URI, trailing slash), and the configuration as text to paste.
 */
export interface ProfileSpec<C> {
  id: ProfileId;
  name: string;
  fromSettings(input: FrontDoorInput): { config: C } | ConfigProblem;
  judge(config: C, facts: TokenFacts): Judgement;
  widen(config: C, facts: TokenFacts): C;
  render(config: C): string;
}

export function describeRefusal(r: Refusal | undefined): string {
  if (r === undefined) return '';
  return `${r.rule}: expected ${r.expected}, found ${r.found}`;
}

/** The profile under the settings, with the snippet for this token when one keeps the settings' intent. */
export function runProfile<C>(spec: ProfileSpec<C>, input: FrontDoorInput): ProfileResult {
  const made = spec.fromSettings(input);
  if (!('config' in made)) {
    return {
      profile: spec.id,
      name: spec.name,
      verdict: 'unknown',
      firstRefusal: { rule: 'config', expected: `a value for ${made.setting}`, found: made.problem, source: 'token-echo settings', setting: made.setting },
      snippet: null,
      snippetNote: made.problem,
      snippetForSettings: null,
    };
  }
  return { ...judgeWith(spec, made.config, factsOf(input)), snippetForSettings: spec.render(made.config) };
}

/** The profile under a given configuration (the maker's own, parsed), without the settings' snippet. */
export function judgeWith<C>(spec: ProfileSpec<C>, config: C, facts: TokenFacts): Omit<ProfileResult, 'snippetForSettings'> {
  const judgement = spec.judge(config, facts);
  let snippet: string | null = null;
  let snippetNote: string | undefined;
  if (judgement.verdict === 'accept') {
    snippet = spec.render(config);
  } else {
    const widened = spec.widen(config, facts);
    const again = widened === config ? judgement : spec.judge(widened, facts);
    if (again.verdict === 'accept') snippet = spec.render(widened);
    else snippetNote = `no configuration with the same intent accepts this token (${describeRefusal(again.firstRefusal)})`;
  }
  return {
    profile: spec.id,
    name: spec.name,
    verdict: judgement.verdict,
    ...(judgement.firstRefusal ? { firstRefusal: judgement.firstRefusal } : {}),
    snippet,
    ...(snippetNote !== undefined ? { snippetNote } : {}),
  };
}
