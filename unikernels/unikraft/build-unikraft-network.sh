#!/bin/sh
# Shared by unikernels/unikraft/*/unikraft.Dockerfile, for the workloads that serve (http): they need a
# network stack, so they are built into an application of their own, /uk/app-network, with nolibc and
# lib-lwip (patched with lib-lwip-xorshift.patch) instead of musl. Kept apart from build-unikraft.sh, whose
# layers the other workloads share and which must not change under them.
#   build-unikraft-network.sh configure WORKLOAD     a workload that serves: the recipe's network.config,
#                                                    then Unikraft and lwIP compiled once with a placeholder
#                                                    main(), in a layer of its own; any other: nothing
#   build-unikraft-network.sh workload NAME KERNEL   a workload that serves: main.c = the workload NAME, only
#                                                    it recompiled and the kernel relinked into
#                                                    /benchmark/out/; any other: build-unikraft.sh workload
set -eu

serves() {
	case "$1" in http) return 0 ;; *) return 1 ;; esac
}

case "$1" in
configure)
	serves "$2" || exit 0
	git -C /uk/libs/lwip apply /uk/lib-lwip-xorshift.patch
	# Where lib-lwip's Makefile.uk would download lwIP to (a zip of fork-lwip's UNIKRAFT-2_1_x branch,
	# unchecked): made from the pinned checkout, so that the build downloads nothing.
	mkdir -p /uk/app-network/build/liblwip
	git -C /uk/fork-lwip archive --format=zip --prefix=fork-lwip-UNIKRAFT-2_1_x/ HEAD > /uk/app-network/build/liblwip/UNIKRAFT-2_1_x.zip
	cd /uk/app-network
	printf 'int main(void) { return 0; }\n' > main.c
	UK_DEFCONFIG=/uk/network.config make defconfig
	make -j"$(nproc)"
	;;
workload)
	serves "$2" || exec /uk/app/build-unikraft.sh workload "$2" "$3"
	cd /uk/app-network
	cp "/uk/workloads/$2.c" main.c
	make -j"$(nproc)"
	mkdir -p /benchmark/out
	cp "build/$3" /benchmark/out/
	;;
*)
	echo "usage: $0 configure WORKLOAD | workload NAME KERNEL" >&2
	exit 2
	;;
esac
