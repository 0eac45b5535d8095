# Nanos for Firecracker: nanos 0.1.55 with the lwip, mbedtls and acpica (R09_30_21) commits its Makefile
# takes, built in debian:12.5 with the project's workload (build arg WORKLOAD) as a static Linux ELF program,
# packed with nanos's mkfs into one disk image beside nanos's boot loader and kernel.
# The sources are those pinned in unikernels/nanos/sources.json, fetched by benchmark-tool and handed to the
# build under sources/: the build itself downloads nothing.
# Firecracker loads kernel.img (kernel_image_path, its PVH entry) with the disk as its root drive. The image's
# debug_exit writes the program's status to a port Firecracker does not have; nanos then resets through the
# i8042 controller, which ends Firecracker.
# Everything up to the final stage is the same in the three nanos recipes (qemu, qemu-microvm, firecracker),
# so that they share Docker's layers: one kernel build and one disk image serve all three.
ARG DEBIAN_IMAGE=debian:12.5
FROM ${DEBIAN_IMAGE} AS build
# What nanos's kernel, boot loader and mkfs need, from Debian's packages (no Go: nanos's `make image`, whose
# default program is a Go one, is not used). git: the kernel records its commit (git rev-parse HEAD).
# The first step after FROM is this unikernel's own (no ENV line that every Debian-based recipe has):
# Docker's layer cache follows the newest layer of a step, so a shared first step rebuilt by another
# recipe's --clear-cache would make this recipe miss the cache from there on.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential git nasm \
 && rm -rf /var/lib/apt/lists/*
ADD sources/nanos.tar /nanos
# Where nanos's Makefile would clone them to.
ADD sources/lwip.tar /nanos/vendor/lwip
ADD sources/mbedtls.tar /nanos/vendor/mbedtls
ADD sources/acpica.tar /nanos/vendor/acpica
# The kernel, the boot loader and mkfs first, in a layer of their own: minutes; another workload rebuilds in seconds.
COPY common/build-kernel.sh /usr/local/bin/build-kernel.sh
RUN build-kernel.sh
ARG WORKLOAD=hello
COPY workloads/ /workloads/
COPY common/build-image.sh /usr/local/bin/build-image.sh
RUN build-image.sh "${WORKLOAD}"

FROM scratch
COPY --from=build /benchmark/out/kernel.img /benchmark/kernel.img
COPY --from=build /benchmark/out/nanos.img /benchmark/nanos.img
COPY manifest.json /benchmark/manifest.json
