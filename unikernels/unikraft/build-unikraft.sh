#!/bin/sh
# Shared by unikernels/unikraft/*/unikraft.Dockerfile, run in /uk/app:
#   build-unikraft.sh configure             musl's release tarball made from its git tag, the recipe's defconfig,
#                                           then Unikraft and musl compiled once with a placeholder main(),
#                                           in a layer of its own
#   build-unikraft.sh workload NAME KERNEL  main.c = the workload NAME; only it is recompiled and the
#                                           kernel relinked; the kernel lands in /benchmark/out/
set -eu
cd /uk/app
case "$1" in
configure)
	# lib-musl's Makefile.uk downloads musl's release tarball into build/libmusl/ and unpacks it
	# (it checks no hash). The release's tree is that of musl's git tag, fetched by benchmark-tool
	# into /uk/musl: packed there under the release's name, it is found and nothing is downloaded.
	musl_version=$(sed -n 's/^LIBMUSL_VERSION=//p' /uk/libs/musl/Makefile.uk)
	if [ "$(cat /uk/musl/VERSION)" != "$musl_version" ]; then
		echo "lib-musl builds musl $musl_version, but sources.json pins musl $(cat /uk/musl/VERSION)" >&2
		exit 1
	fi
	mkdir -p build/libmusl
	tar --exclude=.git --transform "s,^musl,musl-$musl_version," -C /uk -czf "build/libmusl/musl-$musl_version.tar.gz" musl
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
