#!/usr/bin/env bash
# Regenerates the schema sections of every page under docs/ from the provider's
# own schema (`terraform providers schema -json` of a fresh build). Pages of new
# resources and data sources are created with their example; hand-written text
# outside the generated section is kept. tests/docs.rs fails until this is run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash "$root/scripts/tools.sh" >/dev/null
export IDCLOUDHOST_TEST_TERRAFORM="${IDCLOUDHOST_TEST_TERRAFORM:-$root/.tools/bin/terraform}"
export CHECKPOINT_DISABLE=1
IDCLOUDHOST_UPDATE_DOCS=1 cargo test --test docs
