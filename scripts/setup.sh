#!/usr/bin/env bash
# Installs what benchmark-tool needs on a Debian/Ubuntu machine, only what is
# missing: system packages through apt, npm packages through npm ci, then
# builds the CLI. Safe to run again; the second run does nothing slow.
#
#   scripts/setup.sh            what `performance` needs for the built-in targets
#   scripts/setup.sh --docker   and Docker, started, for the unikernels/ recipes (osv, unikraft, nanos), with
#                               git (the tool fetches their sources) and debootstrap (a Debian base image
#                               where no registry can be reached)
#   scripts/setup.sh --test     and what the test suite needs: Docker, a MariaDB
#                               server with a test user, Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

with_docker=false
with_test=false
for arg in "$@"; do
  case "$arg" in
    --docker) with_docker=true ;;
    --test) with_docker=true; with_test=true ;;
    *) echo "setup: unknown option $arg (use --docker or --test)" >&2; exit 2 ;;
  esac
done

# QEMU runs the guests; gcc, libc6-dev (static libc), busybox-static and cpio
# build the reference guests and the Linux initramfs; wrk is the load generator
# of the http workload. python3, make and g++ let npm build native packages
# (better-sqlite3) from source when no prebuilt binary can be downloaded for
# this Node.js.
PACKAGES=(qemu-system-x86 gcc libc6-dev busybox-static cpio wrk python3 make g++)
# Docker builds the unikernels/ recipes; the tool fetches their upstream sources
# with git, and makes their Debian base image with debootstrap where no
# registry can be reached. Where a Docker engine already answers, `performance`
# builds them too, so those two come along.
if $with_docker; then
  PACKAGES+=(docker.io git debootstrap)
elif docker info >/dev/null 2>&1; then
  PACKAGES+=(git debootstrap)
fi
# The results tests export to a real MariaDB server and open the HTML report in Chromium.
if $with_test; then PACKAGES+=(mariadb-server chromium); fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The linux target fetches Debian's kernel package with apt-get download,
# which needs package lists.
if ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null; then
  as_root apt-get update -qq
fi

# The Docker-built targets need a running daemon. Start one only where none
# answers and DOCKER_HOST does not point elsewhere (CI containers have no init).
if $with_docker && [ -z "${DOCKER_HOST:-}" ] && ! docker info >/dev/null 2>&1; then
  if [ ! -S /var/run/docker.sock ] || ! as_root docker info >/dev/null 2>&1; then
    echo "setup: starting dockerd (log: /var/log/dockerd.log)" >&2
    as_root sh -c 'dockerd >/var/log/dockerd.log 2>&1 &'
    for _ in $(seq 30); do
      as_root docker info >/dev/null 2>&1 && break
      sleep 1
    done
    as_root docker info >/dev/null 2>&1 || echo "setup: dockerd did not answer within 30 s; see /var/log/dockerd.log" >&2
  fi
fi

# The MySQL export tests need a MariaDB server on 127.0.0.1:3306 with a test
# user that may create databases named benchmark_test*. Start one where none
# answers (CI containers have no init) and create the user once.
if $with_test; then
  if ! as_root mariadb-admin ping >/dev/null 2>&1; then
    echo "setup: starting MariaDB" >&2
    as_root service mariadb start >/dev/null
    for _ in $(seq 30); do
      as_root mariadb-admin ping >/dev/null 2>&1 && break
      sleep 1
    done
  fi
  as_root mariadb -e "CREATE USER IF NOT EXISTS 'benchmark_test'@'127.0.0.1' IDENTIFIED BY 'benchmark-test-password';
    GRANT ALL PRIVILEGES ON \`benchmark\\_test%\`.* TO 'benchmark_test'@'127.0.0.1';" \
    || echo "setup: could not create the MariaDB test user; the MySQL export tests will fail" >&2
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
