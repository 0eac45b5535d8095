#!/bin/sh
# Shared by unikernels/osv/*/osv.Dockerfile, run in /osv (OSv's tree, unpacked from the sources
# benchmark-tool fetched at the pins in unikernels/osv/sources.json):
#   build-osv.sh kernel [BUILD_ARGS...]          the kernel and its libraries, in a layer of its own
#                                                (the slow part: minutes)
#   build-osv.sh workload NAME [BUILD_ARGS...]   the workload NAME as an OSv application, /workload (a PIE)
#                                                on a read-only (ROFS) disk, in seconds; the kernel
#                                                (loader-stripped.elf) and the disk, converted to raw,
#                                                land in /benchmark/out/
# BUILD_ARGS go to OSv's scripts/build (e.g. drivers_profile=microvm for Firecracker), the same in both steps.
# Every build hides the kernel's internal symbols (conf_hide_symbols=1, as OSv's driver-profile examples
# build): with its -ffunction-sections and --gc-sections, a driver profile leaves out the code of the
# drivers it drops, which the microvm profile needs to link at all; and since it sets every file's flags,
# the same for both VMMs lets the Firecracker recipe rebuild the QEMU recipe's kernel for its profile
# (only the files that include drivers_config.h recompiled) rather than build another from scratch.
set -eu
cd /osv
stage=$1
shift
case "$stage" in
kernel)
	./scripts/build -j"$(nproc)" fs=rofs conf_hide_symbols=1 image=empty "$@"
	;;
workload)
	name=$1
	shift
	# An OSv application, as apps/native-example is: built by its Makefile, listed in its usr.manifest.
	app=apps/benchmark-workload
	mkdir -p "$app"
	cp "/workloads/$name.c" "$app/workload.c"
	printf 'module: workload\n\nworkload: workload.c\n\t$(CC) -O2 -fpie -pie -rdynamic -o $@ workload.c\n' > "$app/Makefile"
	printf 'from osv.modules import api\n\ndefault = api.run("/workload")\n' > "$app/module.py"
	printf '/workload: ${MODULE_DIR}/workload\n' > "$app/usr.manifest"
	./scripts/build -j"$(nproc)" fs=rofs conf_hide_symbols=1 image=benchmark-workload "$@"
	mkdir -p /benchmark/out
	cp build/last/loader-stripped.elf /benchmark/out/
	qemu-img convert -f qcow2 -O raw build/last/usr.img /benchmark/out/usr.raw
	;;
*)
	echo "usage: $0 kernel [BUILD_ARGS...] | workload NAME [BUILD_ARGS...]" >&2
	exit 2
	;;
esac
