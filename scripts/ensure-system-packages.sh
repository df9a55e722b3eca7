#!/usr/bin/env bash
# Installs the Debian packages the reporter's document renderers need, if any are missing.
#   fonts-noto-cjk            Noto Serif/Sans CJK: the free stand-ins for 方正小标宋/仿宋/黑体 (GB/T 9704 fonts)
#   libreoffice-writer-nogui  soffice --headless: DOCX → PDF (the official documents' PDF version)
#   poppler-utils             pdftotext / pdftoppm: the tests read the PDFs back and rasterise a page
#   chromium                  the browser the console's tests drive (playwright-core, executablePath /usr/bin/chromium)
# Idempotent: when everything is present it only runs dpkg-query (well under a second).
# Usage: scripts/ensure-system-packages.sh [--check]   (--check: report what is missing, install nothing)
set -euo pipefail

PACKAGES=(fonts-noto-cjk libreoffice-writer-nogui poppler-utils chromium)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "${1:-}" = "--check" ]; then
  echo "[system-packages] 缺少系统软件包 / missing Debian packages: ${missing[*]}" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "[system-packages] 缺少系统软件包，需要 root 权限安装 / missing Debian packages, installing them needs root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "[system-packages] 安装 / installing: ${missing[*]} (first time only, takes a few minutes)" >&2
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run (someone else's install) instead of failing on the lock.
APT=(apt-get -o DPkg::Lock::Timeout=600 -q -y)
if ! "${SUDO[@]}" "${APT[@]}" update >/dev/null \
  || ! "${SUDO[@]}" "${APT[@]}" install --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "[system-packages] apt-get 失败 / apt-get failed installing: ${missing[*]}" >&2
  echo "  请检查软件源与网络 / check the apt sources and the network, then run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "[system-packages] 完成 / done in $(( $(date +%s) - started )) s" >&2
