#!/usr/bin/env bash
# Packs what a GPU session carries (../shared/device/pack.sh: jar, runtime, Fashion-MNIST) and then takes the
# cluster manager (Hazelcast, ~16 MB) out of the carried jar: no GPU measurement starts a cluster, and without it
# jar, runtime and data fit in the 64 MiB the device tool carries. Arguments go to pack.sh.
#
#   bash scripts/device-pack.sh --data data/fashion-mnist
set -euo pipefail
pack="${NEURALGRID_PACK:-../shared/device/pack.sh}"
bash "$pack" "$@"
for jar in .device/app/*.jar; do
  zip -q -d "$jar" 'com/hazelcast/*' 'io/vertx/spi/cluster/hazelcast/*' 'hazelcast*' >/dev/null 2>&1 || true
done
du -sh .device | awk '{print "after taking Hazelcast out: " $1 " in .device/"}'
