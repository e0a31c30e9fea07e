/** A mistake in the command line: a one-line message, the usage, exit code 64 (EX_USAGE, sysexits.h). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_USAGE = 64;
/** EX_CONFIG (sysexits.h): a setting is malformed. */
export const EXIT_CONFIG = 78;
/** EX_UNAVAILABLE (sysexits.h): something outside stopped the command (a port in use, an authority unreachable). */
export const EXIT_UNAVAILABLE = 69;
