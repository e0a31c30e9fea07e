import type { Settings } from '../../config.js';
import { humanDuration, show } from '../../report/format.js';
import { type Check, reason } from '../../report/report.js';
import type { Findings } from '../findings.js';
import type { TokenFacts } from '../token-memo.js';

/**
 * The lifetime, in Microsoft.IdentityModel's order (Validators.ValidateLifetime): no `exp` (IDX10225),
 * `nbf` after `exp` (IDX10224, whatever the time now), not yet valid beyond the skew (IDX10222), expired
 * beyond the skew (IDX10223). Sources: ValidatorsTests.LifeTimeDataSet;
 * JsonWebTokenHandler.ValidateTokenAsyncTests.Lifetime.cs. Checked on every call (it depends on the time).
 */
export function checkLifetime(claims: Record<string, unknown>, times: TokenFacts['times'], settings: Settings, now: number, f: Findings): void {
  const skew = settings.clockSkewSeconds;
  const { exp, nbf } = claims;
  const expected = `nbf <= now + ${skew} s, exp >= now - ${skew} s`;
  if (exp === undefined) {
    f.fail('lifetime', reason('MALFORMED_TOKEN', 'the token has no exp claim (IDX10225): a token must expire.'), { expected, found: 'no exp' });
    return;
  }
  // times holds exp/nbf only when they are representable dates (token-memo.ts).
  if (times.exp === undefined || (nbf !== undefined && times.nbf === undefined)) {
    f.fail('lifetime', reason('MALFORMED_TOKEN', 'the token\'s exp or nbf is not a number of seconds since the epoch (RFC 7519 section 2, NumericDate).'), {
      expected,
      found: `exp ${show(exp)}, nbf ${show(nbf)}`,
    });
    return;
  }
  const expAt = times.exp;
  const nbfAt = times.nbf;
  if (nbfAt !== undefined && nbfAt.epoch > expAt.epoch) {
    f.fail(
      'lifetime',
      reason('NBF_AFTER_EXP', `the token's nbf (${nbfAt.iso}) is after its exp (${expAt.iso}), IDX10224: there is no moment at which it is valid, whatever the clocks say.`),
      { expected: 'nbf <= exp', found: `nbf ${nbfAt.iso}, exp ${expAt.iso}` },
    );
    return;
  }
  if (nbfAt !== undefined && nbfAt.epoch > now + skew) {
    f.fail('lifetime', reason('NOT_YET_VALID', `the token is not valid for another ${humanDuration(nbfAt.epoch - now)} (nbf ${nbfAt.iso}), beyond the ${skew} s clock skew.`), {
      expected,
      found: `nbf ${nbfAt.iso}`,
    });
    return;
  }
  if (expAt.epoch < now - skew) {
    f.fail('lifetime', reason('EXPIRED', `the token expired ${humanDuration(now - expAt.epoch)} ago (exp ${expAt.iso}), beyond the ${skew} s clock skew.`), {
      expected,
      found: `exp ${expAt.iso}`,
    });
    return;
  }
  const found = `${nbfAt !== undefined ? `valid from ${nbfAt.iso} ` : ''}until ${expAt.iso} (expires in ${humanDuration(expAt.epoch - now)})`;
  // The same text for a minute or more: keep the check object, frozen, and its JSON with it (serialize.ts).
  const known = lifetimePasses.get(times);
  if (known?.found === found && known.expected === expected) f.checks.set('lifetime', known);
  else {
    const check: Check = Object.freeze({ name: 'lifetime', status: 'pass', expected, found });
    lifetimePasses.set(times, check);
    f.checks.set('lifetime', check);
  }
}

const lifetimePasses = new WeakMap<object, Check>();
