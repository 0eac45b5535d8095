#!/bin/sh
# Shared by unikernels/nanos/*/nanos.Dockerfile, after build-kernel.sh:
#   build-image.sh NAME   the workload NAME as a static Linux ELF program, packed with nanos's mkfs into one
#                         disk image beside nanos's boot loader and kernel (seconds); the image and the
#                         kernel land in /benchmark/out/
set -eu
cd /nanos
name=$1
mkdir -p /benchmark/out
gcc -static -O2 -o /benchmark/workload "/workloads/$name.c"
# The root filesystem: the program alone, as /workload. debug_exit: the program's exit status goes to
# QEMU's isa-debug-exit port (0x501), and QEMU exits with it; elsewhere (Firecracker) nanos then resets
# through the i8042 controller. The address of QEMU's user networking (10.0.2.15/24, gateway 10.0.2.2)
# for the first network device, set statically as the other guests do (no DHCP): nanos then states, with
# its clock, "[seconds] en1: assigned 10.0.2.15" as it finishes setting up its network, just before it
# starts the program, or "[seconds] NET: no network interface found" without a network device.
printf '(children:(workload:(contents:(host:/benchmark/workload))) program:/workload arguments:[workload] environment:(PWD:/))\n' |
	output/tools/bin/mkfs -b output/platform/pc/boot/boot.img -k output/platform/pc/bin/kernel.img \
		-t '(debug_exit:t ipaddr:10.0.2.15 netmask:255.255.255.0 gateway:10.0.2.2)' /benchmark/out/nanos.img
cp output/platform/pc/bin/kernel.img /benchmark/out/kernel.img
