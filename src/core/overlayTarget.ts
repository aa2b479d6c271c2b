/**
 * Which file "Show overlays in the source" (the summary page's button, the command) opens: the
 * user's hottest function found locally, never a Go runtime or standard library file while the
 * profile has code of the user's that was not found; then the user is told why (the resolution
 * notice, with its Map button), as Open Profile does.
 */
import type { UserCodeSummary } from './paths';

export interface OverlayTarget<T> {
  /** The function whose file to open, if any. */
  readonly open?: T;
  /**
   * True when the user's code was not found while other files were: say so (the resolution
   * notice, with Map) instead of opening one of those; or, with `open`, when it was found by base
   * name only. Neither: no file was found at all.
   */
  readonly notice: boolean;
}

/**
 * `hottestFirst`: the profile's functions, hottest first; `isUsers`: is this located function the
 * user's (in the workspace); `user`: the resolution's count of the user's files.
 */
export function overlayTarget<T extends { readonly location?: unknown }>(
  hottestFirst: readonly T[],
  isUsers: (h: T) => boolean,
  user: UserCodeSummary | undefined,
): OverlayTarget<T> {
  const own = hottestFirst.find((h) => h.location !== undefined && isUsers(h));
  // All of the user's files found by base name only (a low-confidence guess): open it, and say so
  // (the notice, with the computed Map).
  if (own) return { open: own, notice: !!user && user.user > 0 && user.found === 0 && user.byNameOnly > 0 };
  const any = hottestFirst.find((h) => h.location !== undefined);
  // Nothing found at all: neither (the caller says no file was found).
  if (!any) return { notice: false };
  // The profile has the user's code, none of it found: a runtime file would only mislead.
  if (user && user.user > 0 && user.found === 0) return { notice: true };
  return { open: any, notice: false };
}
