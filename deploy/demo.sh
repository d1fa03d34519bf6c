#!/usr/bin/env bash
# Loads the demo data once (synthetic people, their care teams, an allergy, a consent) into the running stack, then
# prints where everything is and a few commands to try. Data survives make stop / make run; make clean starts afresh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MARKER="${TELLONCE_HOME:-$ROOT/.tellonce}/data/demo-loaded"
KC="http://127.0.0.1:${TELLONCE_KEYCLOAK_PORT:-18080}"
ID="http://127.0.0.1:${TELLONCE_IDENTITY_PORT:-8081}"
CO="http://127.0.0.1:${TELLONCE_CONSENT_PORT:-8082}"
CR="http://127.0.0.1:${TELLONCE_CARE_RECORD_PORT:-8083}"
RF="http://127.0.0.1:${TELLONCE_REFERRAL_PORT:-8084}"
ODS="https://fhir.nhs.uk/Id/ods-organization-code"

token() {
  curl -fsS -d client_id=tellonce-app -d grant_type=password -d "username=$1" -d password=demo \
    "$KC/realms/tellonce/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
post() { # url token body -> id of the created resource
  curl -fsS -X POST -H "Authorization: Bearer $2" -H 'Content-Type: application/fhir+json' -d "$3" "$1" \
    | sed -E 's/^\{"resourceType":"[A-Za-z]+","id":"([^"]+)".*/\1/'
}

ADMIN="$(token admin)"
# The ICS's data-sharing agreement, the lawful basis for direct care among the four partners (also for data loaded
# before agreements existed): created when no agreement is active.
if [[ "$(curl -fsS -H "Authorization: Bearer $ADMIN" "$CO/agreements?status=active")" == "[]" ]]; then
  curl -fsS -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$CO/agreements" \
    -d '{"title":"Riverside ICS direct care","status":"active","parties":["MHT01","GPP01","LA001","VCS01"],"purposes":["TREAT","ETREAT","CAREMGT","COC"],"dataClasses":["*"],"period":{"start":"2026-01-01"},"reference":"RICS-DSA-2026-01"}' >/dev/null
fi
if [[ ! -f "$MARKER" ]]; then
  TYPES="https://fhir.tellonce.org/CodeSystem/organization-type"
  CATEGORIES="https://fhir.tellonce.org/CodeSystem/service-category"
  orgs=("MHT01:Riverside Mental Health NHS Trust:nhs-trust:community-mental-health"
        "GPP01:Riverside Health Centre:gp-practice:primary-care"
        "LA001:Riverside Council Adult Social Care:council:social-care-assessment"
        "VCS01:Riverside Wellbeing Network:vcse:social-prescribing")
  for entry in "${orgs[@]}"; do
    IFS=: read -r code name type category <<<"$entry"
    post "$ID/fhir/Organization" "$ADMIN" "{\"resourceType\":\"Organization\",\"identifier\":[{\"system\":\"$ODS\",\"value\":\"$code\"}],\"name\":\"$name\",\"type\":[{\"coding\":[{\"system\":\"$TYPES\",\"code\":\"$type\"}]}]}" >/dev/null
    post "$ID/fhir/HealthcareService" "$ADMIN" "{\"resourceType\":\"HealthcareService\",\"name\":\"$name: $category\",\"providedBy\":{\"identifier\":{\"system\":\"$ODS\",\"value\":\"$code\"}},\"category\":[{\"coding\":[{\"system\":\"$CATEGORIES\",\"code\":\"$category\"}]}],\"extension\":[{\"url\":\"https://fhir.tellonce.org/StructureDefinition/locality\",\"valueCode\":\"riverside\"}]}" >/dev/null
  done
  NURSE="$(token nurse.mht)"
  people=("9990000018:Ada:Lovelace" "9990000026:Ben:Okri" "9990000034:Cara:Jones")
  for entry in "${people[@]}"; do
    IFS=: read -r nhs given family <<<"$entry"
    pid="$(post "$ID/fhir/Patient" "$NURSE" "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"$nhs\"}],\"name\":[{\"family\":\"$family\",\"given\":[\"$given\"]}],\"birthDate\":\"1950-01-01\"}")"
    post "$ID/fhir/CareTeam" "$NURSE" "{\"resourceType\":\"CareTeam\",\"status\":\"active\",\"subject\":{\"reference\":\"Patient/$pid\"},\"participant\":[{\"member\":{\"identifier\":{\"system\":\"$ODS\",\"value\":\"MHT01\"}}},{\"member\":{\"identifier\":{\"system\":\"$ODS\",\"value\":\"LA001\"}}}]}" >/dev/null
    post "$CR/fhir/AllergyIntolerance" "$NURSE" "{\"resourceType\":\"AllergyIntolerance\",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical\",\"code\":\"active\"}]},\"code\":{\"text\":\"Penicillin\"},\"patient\":{\"reference\":\"Patient/$pid\"}}" >/dev/null
    echo "$pid" >>"$MARKER.people"
  done
  # The third person objects to sharing with the council.
  third="$(tail -n 1 "$MARKER.people")"
  post "$CO/fhir/Consent" "$NURSE" "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],\"patient\":{\"reference\":\"Patient/$third\"},\"performer\":[{\"reference\":\"Patient/$third\"}],\"provision\":{\"type\":\"deny\",\"actor\":[{\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},\"reference\":{\"identifier\":{\"system\":\"$ODS\",\"value\":\"LA001\"}}}]}}" >/dev/null
  mv "$MARKER.people" "$MARKER"
fi
first="$(head -n 1 "$MARKER")"
third="$(tail -n 1 "$MARKER")"
cat <<INFO

tellonce is running (stop with: make stop)
  identity     $ID/fhir (Patient, \$match, CareTeam, Organization, HealthcareService …)
  consent      $CO/fhir and $CO/decisions
  care-record  $CR/fhir      referral $RF/fhir
  Keycloak     $KC (realm tellonce; admin console user admin / admin)
  Kafka 127.0.0.1:${TELLONCE_KAFKA_PORT:-19092}   PostgreSQL 127.0.0.1:${TELLONCE_POSTGRES_PORT:-15432} (user postgres)
Demo users (password demo): nurse.mht gp.riverside sw.council worker.vcse caldicott.mht admin

Try (the care team of these people is MHT01 + LA001; the last person objects to sharing with LA001):
  TOKEN=\$(curl -s -d client_id=tellonce-app -d grant_type=password -d username=sw.council -d password=demo \\
    $KC/realms/tellonce/protocol/openid-connect/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  curl -H "Authorization: Bearer \$TOKEN" "$CR/fhir/AllergyIntolerance?patient=$first"   # shared
  curl -H "Authorization: Bearer \$TOKEN" "$CR/fhir/AllergyIntolerance?patient=$third"   # withheld
  (as gp.riverside, outside the care team, both searches say information is withheld)
INFO
