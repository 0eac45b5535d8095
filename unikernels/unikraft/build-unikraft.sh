#!/bin/sh
# Shared by unikernels/unikraft/*/unikraft.Dockerfile, run in /uk/app:
#   build-unikraft.sh configure             the recipe's defconfig, then Unikraft and musl compiled once
#                                           with a placeholder main(), in a layer of its own
#   build-unikraft.sh workload NAME KERNEL  main.c = the workload NAME; only it is recompiled and the
#                                           kernel relinked; the kernel lands in /benchmark/out/
set -eu
cd /uk/app
case "$1" in
configure)
	printf 'int main(void) { return 0; }\n' > main.c
	UK_DEFCONFIG=/uk/defconfig make defconfig
	make -j"$(nproc)"
	;;
workload)
	cp "/uk/workloads/$2.c" main.c
	make -j"$(nproc)"
	mkdir -p /benchmark/out
	cp "build/$3" /benchmark/out/
	;;
*)
	echo "usage: $0 configure | workload NAME KERNEL" >&2
	exit 2
	;;
esac
