export type { FrontDoorInput, ProfileId, ProfileResult, Refusal, RuleId, Verdict } from './types.js';
export { judgeConfigInput, type ConfigInputResult } from './config-input.js';
export { PROFILES, disagreementLine, judgeFrontDoors } from './judge.js';
