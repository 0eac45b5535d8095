#!/bin/sh
# QEMU for tests that need to see or bend what the tool asks of it. Every boot
# (a command line with -kernel) is noted in $QEMU_BOOTS_LOG when that is set.
# With FAKE_KVM_FAILS=1, a boot under KVM goes to the stand-in that fails as
# nested KVM fails with Linux ('KVM internal error'); all else is the real QEMU.
case " $* " in
  *" -kernel "*) [ -n "$QEMU_BOOTS_LOG" ] && echo "$*" >> "$QEMU_BOOTS_LOG" ;;
esac
if [ "$FAKE_KVM_FAILS" = 1 ]; then
  case " $* " in
    *" -accel kvm "*) exec node "$(dirname "$0")/fake-qemu-kvm-error.mjs" "$@" ;;
  esac
fi
exec qemu-system-x86_64 "$@"
