#!/usr/bin/env bash
# Builds the OSv and Unikraft recipes (unikernels/*/*/*.Dockerfile) for real and
# measures them: needs a machine with the internet (base images, upstream
# sources) and a Docker daemon. The test suite cannot do this; run it by hand.
#
#   scripts/build-unikernels.sh [extra options for `benchmark-tool performance`]
#
# e.g. scripts/build-unikernels.sh --clear-cache --debug -n 3
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --docker

# The tool builds each recipe in turn (a failed build shows its last 30 log
# lines and the others go on); pairs whose VMM backend this build of the tool
# lacks are left out with a note.
node dist/cli/main.js performance osv unikraft "$@"
