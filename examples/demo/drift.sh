#!/usr/bin/env bash
# Out-of-band changes through the simulator's API, as a colleague clicking in the
# control panel would make them: the next `terraform plan` must report exactly these.
set -euo pipefail
: "${IDCLOUDHOST_API_URL:?}" "${IDCLOUDHOST_API_KEY:?}" "${TF_BIN:?}"

web0="$("$TF_BIN" output -json web_vm_ids | python3 -c 'import json,sys; print(json.load(sys.stdin)[0])')"
api() { curl -sS -f -H "apikey: $IDCLOUDHOST_API_KEY" "$@"; echo; }

echo ">> renaming VM $web0 to 'renamed-by-hand' and stopping it"
api -X PATCH --data-urlencode "uuid=$web0" --data-urlencode "name=renamed-by-hand" \
    "$IDCLOUDHOST_API_URL/v1/jkt01/user-resource/vm" >/dev/null
api -X POST --data-urlencode "uuid=$web0" "$IDCLOUDHOST_API_URL/v1/jkt01/user-resource/vm/stop" >/dev/null
echo ">> turning on automatic backups of $web0"
api -X POST --data-urlencode "uuid=$web0" "$IDCLOUDHOST_API_URL/v1/jkt01/user-resource/vm/backup" >/dev/null
