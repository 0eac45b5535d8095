# OSv for QEMU: OSv v0.57.0 (github.com/cloudius-systems/osv, tag v0.57.0 and
# the submodule commits that tag records), built in ubuntu:22.04 with the
# project's workload (build arg WORKLOAD) as a PIE on a ROFS disk. The final
# image holds kernel.elf (-kernel), usr.raw (virtio-blk disk) and the manifest.
# Not built by the test suite (no internet there): see scripts/build-unikernels.sh.
FROM ubuntu:22.04 AS build
ARG OSV_VERSION=v0.57.0
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git python3 \
 && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 --branch ${OSV_VERSION} https://github.com/cloudius-systems/osv.git /osv \
 && git -C /osv submodule update --init --recursive
# OSv's own script installs its build dependencies (gcc, qemu-utils, ...) for this distribution.
RUN cd /osv && python3 scripts/setup.py && rm -rf /var/lib/apt/lists/*
# The kernel alone first, so that this slow layer is cached whatever the workload.
RUN cd /osv && ./scripts/build image=empty fs=rofs -j"$(nproc)"
ARG WORKLOAD=hello
COPY workloads/ /context/workloads/
COPY common/build-osv.sh /context/build-osv.sh
RUN /context/build-osv.sh "${WORKLOAD}"

FROM scratch
COPY --from=build /benchmark/out/kernel.elf /benchmark/kernel.elf
COPY --from=build /benchmark/out/usr.raw /benchmark/usr.raw
COPY manifest.json /benchmark/manifest.json
