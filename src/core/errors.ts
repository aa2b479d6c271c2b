/**
 * Every way a profile can be unreadable ends in a ProfileError with a kind a caller can switch on
 * and a message a user understands. Nothing else is thrown for bad input.
 */
export type ProfileErrorKind =
  | 'empty' // zero bytes
  | 'too-large' // over the configured size limit
  | 'gzip' // gzip stream truncated or corrupt
  | 'not-a-profile' // neither profile.proto nor a known legacy format
  | 'malformed' // recognized format, broken content (bad varint, index out of range, ...)
  | 'unsupported'; // a known format pprof-lens does not read

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly kind: ProfileErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function isProfileError(e: unknown): e is ProfileError {
  return e instanceof Error && e.name === 'ProfileError' && 'kind' in e;
}

/** The base profile of a comparison, not the profile itself, could not be read. */
export class BaseProfileError extends ProfileError {
  constructor(
    kind: ProfileErrorKind,
    message: string,
    /** The base's name as the user knows it (its file name). */
    readonly base: string,
  ) {
    super(kind, message);
  }
}

/**
 * A bad base blames the base: "Cannot use truncated.pb.gz as the base: the gzip data is … .
 * heap2.pb.gz stays open without a base." `outcome` says what became of the profile itself.
 */
export function baseErrorMessage(base: string, reason: string, outcome: string, of?: string): string {
  let why = /^[A-Z][a-z]/.test(reason) ? reason[0]!.toLowerCase() + reason.slice(1) : reason;
  // A base of another kind (core/diff baseMismatch) names the open profile.
  if (of !== undefined) why = why.replace('the open profile', of);
  why = why.replace(/[.\s]*$/, '');
  return of !== undefined
    ? `Cannot use ${base} as the base of ${of}: ${why}; ${outcome}.`
    : `Cannot use ${base} as the base: ${why}. ${outcome}.`;
}
