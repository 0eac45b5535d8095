# Unikraft for Firecracker: Unikraft RELEASE-0.17.0 (github.com/unikraft/unikraft) and
# lib-musl RELEASE-0.17.0 (github.com/unikraft/lib-musl, which fetches the musl
# release its Makefile.uk pins), built with make in debian:12.5, the project's
# workload (build arg WORKLOAD) as main(). The KVM platform for Firecracker gives
# benchmark_fc-x86_64, the ELF Firecracker boots (kernel_image_path).
# Not built by the test suite (no internet there): see scripts/build-unikernels.sh.
FROM debian:12.5 AS build
ARG UNIKRAFT_VERSION=RELEASE-0.17.0
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends bison build-essential ca-certificates flex git libncurses-dev make python3 unzip wget \
 && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 --branch ${UNIKRAFT_VERSION} https://github.com/unikraft/unikraft.git /uk/unikraft \
 && git clone --depth 1 --branch ${UNIKRAFT_VERSION} https://github.com/unikraft/lib-musl.git /uk/libs/musl
WORKDIR /uk/app
COPY common/Makefile common/Makefile.uk common/Config.uk ./
COPY defconfig ./defconfig
ARG WORKLOAD=hello
COPY workloads/ ./workloads/
RUN cp "workloads/${WORKLOAD}.c" main.c \
 && UK_DEFCONFIG=/uk/app/defconfig make defconfig \
 && make -j"$(nproc)" \
 && mkdir -p /benchmark/out \
 && cp build/benchmark_fc-x86_64 /benchmark/out/

FROM scratch
COPY --from=build /benchmark/out/benchmark_fc-x86_64 /benchmark/benchmark_fc-x86_64
COPY manifest.json /benchmark/manifest.json
