#!/usr/bin/env bash
# Verifies the care record's audit trail: recomputes every hash of every chain and says whether each is intact and,
# if not, where the first altered or removed entry is. Exits 1 when any chain is broken.
#   deploy/verify-audit.sh                      (the local stack, as the demo privacy officer)
#   TELLONCE_CARE_RECORD_URL=… TOKEN=… deploy/verify-audit.sh   (elsewhere, with a privacy officer's token)
set -euo pipefail
CARE_RECORD="${TELLONCE_CARE_RECORD_URL:-http://127.0.0.1:${TELLONCE_CARE_RECORD_PORT:-8083}}"
KEYCLOAK="${TELLONCE_KEYCLOAK_URL:-http://127.0.0.1:${TELLONCE_KEYCLOAK_PORT:-18080}}"
if [[ -z "${TOKEN:-}" ]]; then
  TOKEN="$(curl -sf -d grant_type=password -d client_id=tellonce-app -d username=caldicott.mht -d password=demo \
    "$KEYCLOAK/realms/tellonce/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
fi
report="$(curl -sf -H "Authorization: Bearer $TOKEN" "$CARE_RECORD/audit/verification")"
python3 - "$report" <<'PY'
import json, sys
report = json.loads(sys.argv[1])
for chain in report["chains"]:
    state = "intact" if chain["intact"] else "BROKEN at position %s" % chain["firstBrokenPosition"]
    print("chain %2d: %7d entries, %s" % (chain["chain"], chain["entries"], state))
print("%d entries, %s" % (report["entries"], "intact" if report["intact"] else "TAMPERED"))
sys.exit(0 if report["intact"] else 1)
PY
