#!/bin/sh
# ci-run.sh COMMAND [ARGS...]: one CI step with the project's secrets, for any CI system
# (Jenkins, Buildkite, CircleCI, Drone, a cron job) or none.
#
# - Checks the manifest first: a reference that does not resolve fails the step (exit 7)
#   before anything runs, naming each one; the check's report goes to stderr.
# - Runs COMMAND once, without watching, and exits with its exit code.
# - Masks secret values in COMMAND's output even when the CI gives the step a terminal
#   (-mask=on): several CI systems run steps under a pseudo-terminal, where `auto` would
#   not mask.
#
# Environment: the store's key (SECRETRUN_KEY, SECRETRUN_KEY_FILE or SECRETRUN_PASSPHRASE)
# from the CI's secret store; SECRETRUN_ENV to choose one of the manifest's environments;
# SECRETRUN, the command that runs secretrun (default `secretrun`; e.g. `npx secretrun`).
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: ci-run.sh COMMAND [ARGS...]" >&2
  exit 2
fi
# Word-split on purpose: SECRETRUN may be `npx secretrun`.
secretrun=${SECRETRUN:-secretrun}

# shellcheck disable=SC2086
$secretrun check >&2
# shellcheck disable=SC2086
exec $secretrun run --once -mask=on -- "$@"
