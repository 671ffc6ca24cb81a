#!/usr/bin/env bash
# Installs what permitsim needs on Debian 12, non-interactively; does nothing
# (and asks for nothing) when everything is already there.
set -euo pipefail

packages=(
  cmake make pkg-config gcc clang libclang-rt-14-dev
  libxml2-dev libxml2-utils libglib2.0-dev libcunit1-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core libjson-glib-dev
  libmpich-dev mpich
  chromium poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all build and test dependencies are installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
