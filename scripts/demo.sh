#!/bin/sh
# The main job on the default store: put the guide's secrets into examples/load-secrets'
# .secretrun/store.json (created, with its key, on the first run), check the manifest, and run
# the example application under secretrun. It prints variable names, never values.
set -e
cd "$(dirname "$0")/../examples/load-secrets"
secretrun="node ../../bin/secretrun.cjs"
SECRETRUN="$secretrun" ./seed.sh
$secretrun check
$secretrun run --once -- ./start-application.sh
