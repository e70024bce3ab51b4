#!/bin/sh
# The container's entrypoint (behind tini): runs the container's command under secretrun with
# the secrets of /app/secretrun.yaml. The store's key comes from
#   - SECRETRUN_KEY              docker run -e SECRETRUN_KEY (from your secret manager), or
#   - SECRETRUN_KEY_FILE         a key file at a path you choose, or
#   - /run/secrets/secretrun_key a mounted secret: docker run --secret, compose `secrets:`,
#                                a Kubernetes secret volume (SECRETRUN_KEY_SECRET moves it).
# secretrun removes all of these from the command's environment.
set -eu

if [ -z "${SECRETRUN_KEY:-}" ] && [ -z "${SECRETRUN_KEY_FILE:-}" ]; then
  secret_file="${SECRETRUN_KEY_SECRET:-/run/secrets/secretrun_key}"
  if [ -r "$secret_file" ]; then
    SECRETRUN_KEY_FILE="$secret_file"
    export SECRETRUN_KEY_FILE
  fi
fi
unset SECRETRUN_KEY_SECRET

# exec: secretrun takes this shell's place, so tini's signals reach it directly.
exec secretrun run -- "$@"
