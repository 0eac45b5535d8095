# OSv for QEMU: OSv v0.57.0 (with the submodule commits that tag records), built in debian:12.5 with the
# project's workload (build arg WORKLOAD) as an OSv application, /workload, on a read-only (ROFS) disk.
# The sources are those pinned in unikernels/osv/sources.json, fetched by benchmark-tool and handed to the
# build under sources/: the build itself downloads nothing.
# loader-stripped.elf has a PVH note: QEMU boots it with -kernel on machine pc, the disk on virtio-blk-pci.
ARG DEBIAN_IMAGE=debian:12.5
FROM ${DEBIAN_IMAGE} AS build
# What OSv's x86_64 build needs, from Debian's packages (OSv's scripts/setup.py knows no Debian 12).
# The first step after FROM is this unikernel's own (no ENV line that every Debian-based recipe has):
# Docker's layer cache follows the newest layer of a step, so a shared first step rebuilt by another
# recipe's --clear-cache would make this recipe miss the cache from there on, its kernel included.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends autoconf automake bison build-essential flex gawk genromfs git \
      libboost-dev libboost-system-dev libedit-dev libncurses-dev libssl-dev libtool libyaml-cpp-dev \
      liblua5.3-dev lua5.3 python3 qemu-utils \
 && rm -rf /var/lib/apt/lists/*
ADD sources/osv.tar /osv
COPY common/build-osv.sh /usr/local/bin/build-osv.sh
# The kernel first, in a layer of its own: it takes minutes, and another workload rebuilds in seconds.
RUN build-osv.sh kernel
ARG WORKLOAD=hello
COPY workloads/ /workloads/
RUN build-osv.sh workload "${WORKLOAD}"

FROM scratch
COPY --from=build /benchmark/out/loader-stripped.elf /benchmark/loader-stripped.elf
COPY --from=build /benchmark/out/usr.raw /benchmark/usr.raw
COPY manifest.json /benchmark/manifest.json
