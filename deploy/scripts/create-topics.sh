#!/usr/bin/env bash
# Creates the pipeline's topics on any cluster with Kafka's own CLI.
# Usage: create-topics.sh BOOTSTRAP [PREFIX=gopo.] [PARTITIONS=4] [REPLICATION=3]
# PARTITIONS applies to every topic but policy-versions, which has exactly one partition: readers
# must see versions in the order the learner announced them (the learner creates it the same way).
set -euo pipefail
bootstrap="${1:?usage: create-topics.sh BOOTSTRAP [PREFIX] [PARTITIONS] [REPLICATION]}"
prefix="${2:-gopo.}"; partitions="${3:-4}"; replication="${4:-3}"
create() {
  kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$prefix$1" --partitions "$2" --replication-factor "$replication"
}
for t in prompts completions rewards advantages advantages.grpo eval-results metrics dead-letters; do
  create "$t" "$partitions"
done
create policy-versions 1
