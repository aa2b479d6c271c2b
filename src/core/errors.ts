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
