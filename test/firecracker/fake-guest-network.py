#!/usr/bin/env python3
"""The stand-in's server guest behind a real tap (fake-firecracker.mjs runs it
on InstanceStart when the VM was given a network interface).

Firecracker attaches the host's tap (PUT /network-interfaces host_dev_name) as
the guest's virtio-net device and moves its Ethernet frames to and from the
guest. This does the same with a guest that is no VM: it opens the tool's tap
as Firecracker does (TUNSETIFF on /dev/net/tun, IFF_TAP | IFF_NO_PI), enters a
network namespace of its own, makes a tap there named eth0 with the guest's
MAC and the address the guest's boot line gave it (benchmark.ip=A/P:G, as
guests/linux/init reads it), runs the server in that namespace, and moves
every frame between the two taps. So the tool reaches the server only over
its tap, at the guest's address, through a real TCP/IP stack (the host
kernel's, in the namespace) as it would a guest's. The namespace goes with
this process; the server dies with it (PR_SET_PDEATHSIG), and this process
dies with the stand-in.

usage: fake-guest-network.py <host tap> <address/prefix:gateway> <guest mac> <owner> -- <server command...>
(<owner> is only there so that the tool's leftover checks, which look for its
private directory in command lines, see this process.)
"""
import ctypes
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1

libc = ctypes.CDLL(None, use_errno=True)


def die_with_parent():
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main():
    die_with_parent()
    separator = sys.argv.index("--")
    host_tap, network, mac, _owner = sys.argv[1:separator]
    server = sys.argv[separator + 1 :]
    address, gateway = network.split(":")
    # Firecracker's side: the tool's tap, in the host's namespace.
    outer = open_tap(host_tap)
    # The guest's side: a namespace and a NIC of its own.
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare(CLONE_NEWNET): {os.strerror(err)}")
    inner = open_tap("eth0")
    for command in (
        ["ip", "link", "set", "lo", "up"],
        ["ip", "link", "set", "eth0", "address", mac],
        ["ip", "address", "add", address, "dev", "eth0"],
        ["ip", "link", "set", "eth0", "up"],
        ["ip", "route", "add", "default", "via", gateway],
    ):
        subprocess.run(command, check=True)
    child = subprocess.Popen(server, preexec_fn=die_with_parent)
    peer = {outer: inner, inner: outer}
    while child.poll() is None:
        ready, _, _ = select.select([outer, inner], [], [], 0.05)
        for fd in ready:
            os.write(peer[fd], os.read(fd, 65536))
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
