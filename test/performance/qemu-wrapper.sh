#!/bin/sh
# QEMU for tests that need to see or bend what the tool asks of it. Every boot
# (a command line with -kernel) is noted in $QEMU_BOOTS_LOG when that is set.
# With FAKE_KVM_FAILS=1, a boot under KVM goes to the stand-in that fails as
# nested KVM fails with Linux ('KVM internal error'). With QEMU_SILENT_BOOT=K
# (and $QEMU_BOOTS_LOG), the K-th boot noted there gets no console (-serial
# null): its guest runs and ends but its ready marker never arrives. All else
# is the real QEMU.
case " $* " in
  *" -kernel "*) [ -n "$QEMU_BOOTS_LOG" ] && echo "$*" >> "$QEMU_BOOTS_LOG" ;;
esac
if [ "$FAKE_KVM_FAILS" = 1 ]; then
  case " $* " in
    *" -accel kvm "*) exec node "$(dirname "$0")/fake-qemu-kvm-error.mjs" "$@" ;;
  esac
fi
if [ -n "$QEMU_SILENT_BOOT" ] && [ -n "$QEMU_BOOTS_LOG" ] && [ "$(wc -l < "$QEMU_BOOTS_LOG")" = "$QEMU_SILENT_BOOT" ]; then
  previous=
  for arg; do
    shift
    [ "$previous" = -serial ] && [ "$arg" = stdio ] && arg=null
    set -- "$@" "$arg"
    previous=$arg
  done
fi
exec qemu-system-x86_64 "$@"
