import { maxDurationSeconds } from '../go/duration.js';

// Seconds that means "delete_version_after disabled" in the mount config (Go's -1s).
export const deleteVersionAfterDisabled = -1;

// The delete_version_after in force for a new or undeleted version, in seconds (0 = none):
// the smaller of the non-zero mount and key settings; a disabled mount turns it off for all keys.
export function effectiveDeleteVersionAfter(mountSeconds: number, keySeconds: number): number {
  if (mountSeconds === deleteVersionAfterDisabled) return 0;
  if (mountSeconds === 0) return keySeconds;
  if (keySeconds === 0) return mountSeconds;
  return Math.min(mountSeconds, keySeconds);
}

// The deletion_time (ms) a version created or undeleted at `now` gets, or null when none applies.
// A setting stored before durations were bounded is read as Go's longest duration, so that a
// key holding one stays writable.
export function computeDeletionTime(now: number, mountSeconds: number, keySeconds: number): number | null {
  const seconds = Math.min(effectiveDeleteVersionAfter(mountSeconds, keySeconds), maxDurationSeconds);
  return seconds === 0 ? null : now + seconds * 1000;
}
