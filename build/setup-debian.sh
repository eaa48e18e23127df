#!/usr/bin/env bash
# Installs what CarpDeck needs on Debian 12 (as root): libpcap headers for the native capture binding, the lab's
# real peers (ucarp, keepalived, conntrackd, nftables, OpenSSH), TShark as the reference decoder and Chromium for
# the browser UI and its tests; then the npm dependencies (unless --packages-only).
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(libpcap0.8-dev libcap2-bin iproute2 iputils-ping tcpdump procps nftables conntrack conntrackd ucarp keepalived tshark
      chromium openssh-server openssh-client faketime sudo)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# keepalived and ssh start system services on install; the lab runs its own instances inside namespaces.
for s in keepalived conntrackd ssh; do systemctl disable --now "$s" >/dev/null 2>&1 || service "$s" stop >/dev/null 2>&1 || true; done
[[ "${1:-}" == "--packages-only" ]] || npm ci
