#!/bin/sh
# Creates the topics of deploy/kafka/topics.txt (partitions, cleanup policy) with the prefix, once Kafka answers.
set -eu
until /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1; do sleep 1; done
grep -v '^#' /topics.txt | while read -r topic partitions policy; do
  [ -n "$topic" ] || continue
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "${PREFIX}${topic}" --partitions "$partitions" --replication-factor 1 --config "cleanup.policy=$policy"
done
