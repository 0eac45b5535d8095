#!/bin/sh
# Shared by unikernels/nanos/*/nanos.Dockerfile, run in /nanos: nanos's tree with vendor/acpica, vendor/lwip
# and vendor/mbedtls unpacked from the sources benchmark-tool fetched at the pins in unikernels/nanos/sources.json.
#   build-nanos.sh kernel          the kernel, the boot loader and mkfs, in a layer of their own (minutes)
#   build-nanos.sh workload NAME   the workload NAME as a static Linux ELF program, packed with mkfs into one
#                                  disk image with the boot loader and the kernel (seconds); the image and the
#                                  kernel land in /benchmark/out/
# nanos's own `make image` is not used: its default target is a Go program, and it runs QEMU-specific steps.
set -eu
cd /nanos
stage=$1
shift
case "$stage" in
kernel)
	# nanos's Makefile clones acpica, lwip and mbedtls unless it finds their .vendored markers; its clone
	# rule also applies patches/<name>.patch, so that is done here (only acpica has one).
	for lib in acpica lwip mbedtls; do touch "vendor/$lib/.vendored"; done
	patch -p1 -d vendor/acpica < patches/acpica.patch
	# gitversion.c depends on .git/index, which the sources' tar leaves out (it differs between checkouts).
	[ -e .git/index ] || git read-tree HEAD
	make -j"$(nproc)" kernel
	make mkfs
	;;
workload)
	name=$1
	mkdir -p /benchmark/out
	gcc -static -O2 -o /benchmark/workload "/workloads/$name.c"
	# The root filesystem: the program alone, as /workload. debug_exit: the program's exit status goes to
	# QEMU's isa-debug-exit port (0x501), and QEMU exits with it; elsewhere (Firecracker) nanos then resets
	# through the i8042 controller. log_level info: nanos states on its console, with its own clock, when
	# it has booted and starts the program ("[seconds] gitversion: <commit>").
	printf '(children:(workload:(contents:(host:/benchmark/workload))) program:/workload arguments:[workload] environment:(PWD:/))\n' |
		output/tools/bin/mkfs -b output/platform/pc/boot/boot.img -k output/platform/pc/bin/kernel.img \
			-t '(debug_exit:t log_level:info)' /benchmark/out/nanos.img
	cp output/platform/pc/bin/kernel.img /benchmark/out/kernel.img
	;;
*)
	echo "usage: $0 kernel | workload NAME" >&2
	exit 2
	;;
esac
