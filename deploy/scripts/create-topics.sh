#!/usr/bin/env bash
# Creates the pipeline's topics on any cluster with Kafka's own CLI.
# Usage: create-topics.sh BOOTSTRAP [PREFIX=gopo.] [PARTITIONS=4] [REPLICATION=3]
set -euo pipefail
bootstrap="${1:?usage: create-topics.sh BOOTSTRAP [PREFIX] [PARTITIONS] [REPLICATION]}"
prefix="${2:-gopo.}"; partitions="${3:-4}"; replication="${4:-3}"
for t in prompts completions rewards advantages advantages.grpo policy-versions eval-results metrics dead-letters; do
  kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$prefix$t" --partitions "$partitions" --replication-factor "$replication"
done
