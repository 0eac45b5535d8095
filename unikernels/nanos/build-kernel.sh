#!/bin/sh
# Shared by unikernels/nanos/*/nanos.Dockerfile: nanos's kernel, boot loader and mkfs, in a layer of their
# own (minutes), in /nanos: nanos's tree with vendor/acpica, vendor/lwip and vendor/mbedtls unpacked from
# the sources benchmark-tool fetched at the pins in unikernels/nanos/sources.json. The workload's image is
# build-image.sh's, in a layer after it, so that changing how it is packed does not rebuild the kernel.
# nanos's own `make image` is not used: its default program is a Go one, and it runs QEMU-specific steps.
set -eu
cd /nanos
# nanos's Makefile clones acpica, lwip and mbedtls unless it finds their .vendored markers; its clone rule
# also applies patches/<name>.patch, so that is done here (only acpica has one).
for lib in acpica lwip mbedtls; do touch "vendor/$lib/.vendored"; done
patch -p1 -d vendor/acpica < patches/acpica.patch
# gitversion.c depends on .git/index, which the sources' tar leaves out (it differs between checkouts).
[ -e .git/index ] || git read-tree HEAD
make -j"$(nproc)" kernel
make mkfs
