# Unikraft for QEMU: Unikraft RELEASE-0.17.0 with lib-musl RELEASE-0.16.3 and musl 1.2.3, built in
# debian:12.5 with the project's workload (build arg WORKLOAD) as main(). The sources are those pinned in
# unikernels/unikraft/sources.json, fetched by benchmark-tool and handed to the build under sources/:
# the build itself downloads nothing. The KVM platform for QEMU gives a multiboot kernel that QEMU
# boots with -kernel on machine pc.
# The workloads that serve (http) are built instead with nolibc and lib-lwip RELEASE-0.16.2 (lwIP from
# unikraft/fork-lwip at bef26c44236a, the head of UNIKRAFT-2_1_x), patched with
# unikernels/unikraft/lib-lwip-xorshift.patch (lib-lwip 0.16.2 still names Unikraft 0.16's ukswrand), from
# network.config; their layers come after the others', which keep their cache.
ARG DEBIAN_IMAGE=debian:12.5
FROM ${DEBIAN_IMAGE} AS build
# The first step after FROM is this unikernel's own (no ENV line that every Debian-based recipe has):
# Docker's layer cache follows the newest layer of a step, so a shared first step rebuilt by another
# recipe's --clear-cache would make this recipe miss the cache from there on.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bison build-essential flex git libncurses-dev python3 \
 && rm -rf /var/lib/apt/lists/*
ADD sources/unikraft.tar /uk/unikraft
ADD sources/lib-musl.tar /uk/libs/musl
# musl from its git tag; build-unikraft.sh packs it where lib-musl's Makefile.uk would download musl's release to.
ADD sources/musl.tar /uk/musl
COPY common/Makefile common/Makefile.uk common/Config.uk common/boot-time.c common/build-unikraft.sh /uk/app/
COPY defconfig /uk/defconfig
# Unikraft and musl once, whatever the workload: another workload recompiles main.c alone.
RUN /uk/app/build-unikraft.sh configure
# lib-lwip's Makefile.uk unpacks lwIP's zip with unzip.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends unzip \
 && rm -rf /var/lib/apt/lists/*
ADD sources/lib-lwip.tar /uk/libs/lwip
ADD sources/fork-lwip.tar /uk/fork-lwip
COPY common/lib-lwip-xorshift.patch common/build-unikraft-network.sh /uk/
COPY common/Makefile.network /uk/app-network/Makefile
COPY common/Config.network.uk /uk/app-network/Config.uk
COPY common/Makefile.uk common/boot-time.c /uk/app-network/
COPY network.config /uk/network.config
ARG WORKLOAD=hello
# Unikraft and lwIP once for the workloads that serve; nothing for the others.
RUN /uk/build-unikraft-network.sh configure "${WORKLOAD}"
COPY workloads/ /uk/workloads/
RUN /uk/build-unikraft-network.sh workload "${WORKLOAD}" benchmark_qemu-x86_64

FROM scratch
COPY --from=build /benchmark/out/benchmark_qemu-x86_64 /benchmark/benchmark_qemu-x86_64
COPY manifest.json /benchmark/manifest.json
