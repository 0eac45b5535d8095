#!/bin/sh
# Shared by unikernels/osv/*/osv.Dockerfile: builds OSv (the tag in OSV_VERSION)
# with the workload $1 (guests/workloads/$1.c) as /workload on a read-only
# (ROFS) root file system, and leaves in /benchmark/out:
#   kernel.elf          the kernel QEMU boots with -kernel
#   loader-stripped.elf the kernel Firecracker boots
#   usr.raw             the disk, converted from qcow2 to raw (QEMU's -drive format=raw, Firecracker)
set -eu
workload=$1
cd /osv
# OSv runs position-independent executables linked against its own libc.
gcc -O2 -fPIE -pie -o /osv/workload "/context/workloads/${workload}.c"
# scripts/build --append-manifest adds build/last/append.manifest (guest path: host path) to the image.
printf '/workload: /osv/workload\n' > build/last/append.manifest
./scripts/build image=empty fs=rofs --append-manifest -j"$(nproc)"
mkdir -p /benchmark/out
cp build/release/kernel.elf build/release/loader-stripped.elf /benchmark/out/
qemu-img convert -f qcow2 -O raw build/release/usr.img /benchmark/out/usr.raw
