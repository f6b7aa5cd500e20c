#!/usr/bin/env bash
# Recomputes the web bundle hash a relay reports (GET /v1/relay, field
# web_bundle, and its start-up line), with shell tools only, as
# docs/spec/web-bundle.md describes it.
#
#   scripts/web-hash.sh            the hash of the bundle this checkout
#                                  builds (web/ as it is now)
#   scripts/web-hash.sh ORIGIN     fetches every file of that bundle from
#                                  the relay at ORIGIN (e.g.
#                                  https://relay.example.org) and compares
#                                  three hashes: what it serves, what it
#                                  reports, and this checkout's
#
# Prints "sha256:<64 hex>" (without ORIGIN), or the three hashes (with
# it). Exits 0 when they agree, 1 when they differ (then the manifests'
# differences are shown), 2 on a usage or network error. Run it from a
# checkout of the release you expect the relay to serve. Needs bash,
# coreutils (sha256sum, sha384sum, basenc, base64), and curl with ORIGIN.
#
# A relay can serve other code to other visitors: a match says what it
# served to this request, not to everyone (docs/threat-model.md).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/web-hash.sh [ORIGIN]" >&2
  exit 2
}
[ $# -le 1 ] || usage
origin="${1:-}"
origin="${origin%/}"
if [ -n "$origin" ]; then
  case "$origin" in
    http://* | https://*) ;;
    *) echo "ORIGIN must start with http:// or https://" >&2; exit 2 ;;
  esac
fi

# The embedded files, relative to web/, in the order the relay lists them.
names=()
for pattern in 'web/*.html' 'web/*.css' 'web/*.js' 'web/pkg/*.js' 'web/pkg/*.wasm' 'web/pkg/*.ftl' \
  'web/app/*.html' 'web/app/*.css' 'web/app/*.js' 'web/app/*.webmanifest' 'web/app/*.svg' \
  'web/app/*.png'; do
  for f in $pattern; do
    [ -f "$f" ] || continue
    base=${f##*/}
    if ! [[ $base =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
      echo "$f has a name the relay refuses to embed (the build fails)" >&2
      exit 2
    fi
    names+=("${f#web/}")
  done
done

served_path() {
  case "$1" in
    home.html) echo "/" ;;
    share.html) echo "/S" ;;
    app/index.html) echo "/app/" ;;
    app/*) echo "/app/${1#app/}" ;;
    *) echo "/web/$1" ;;
  esac
}

sha256_hex() { sha256sum | cut -c1-64; }

# Is $1 one of the embedded files? (A loop, not `printf | grep -q`: with
# pipefail, grep leaving early can fail the pipeline through SIGPIPE.)
embedded() {
  local n
  for n in "${names[@]}"; do
    [ "$n" = "$1" ] && return 0
  done
  return 1
}


# sha384-<base64> of a file.
sri() {
  printf 'sha384-%s' "$(sha384sum <"$1" | cut -c1-96 | tr a-f A-F | basenc --base16 -d | base64 -w0)"
}

# What the relay serves for a file of this checkout: a page with its
# {{sri:NAME}} placeholders filled in, any other file as it is.
checkout_bytes() {
  local name=$1 text placeholder target
  case "$name" in
    *.html) ;;
    *) cat "web/$name"; return ;;
  esac
  # Keep trailing newlines: command substitution would drop them.
  text=$(cat "web/$name"; printf x)
  text=${text%x}
  while read -r placeholder; do
    [ -n "$placeholder" ] || continue
    target=${placeholder#'{{sri:'}
    target=${target%'}}'}
    case "$target" in
      *.html | */*/* | '') target="" ;;
    esac
    if [ -z "$target" ] || ! [ -f "web/$target" ] || ! embedded "$target"; then
      echo "web/$name: $placeholder names no embedded file (the build fails)" >&2
      exit 2
    fi
    text=${text//"$placeholder"/"$(sri "web/$target")"}
  done < <(grep -o '{{sri:[^}]*}}' "web/$name" | sort -u)
  case "$text" in
    *'{{sri:'*) echo "web/$name: a placeholder is not closed (the build fails)" >&2; exit 2 ;;
  esac
  printf '%s' "$text"
}

fetch() {
  if ! curl --silent --show-error --fail --proto '=http,https' --max-time 60 \
    -- "$origin$1"; then
    echo "could not fetch $origin$1" >&2
    exit 2
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# manifest checkout|served: writes $work/manifest.<source>, one line
# "<served path> <sha256 hex>" per file, sorted; prints its hash.
manifest() {
  local source=$1 name path
  : >"$work/lines"
  for name in "${names[@]}"; do
    path=$(served_path "$name")
    if [ "$source" = checkout ]; then
      checkout_bytes "$name" >"$work/file"
    else
      fetch "$path" >"$work/file"
    fi
    printf '%s %s\n' "$path" "$(sha256_hex <"$work/file")" >>"$work/lines"
  done
  LC_ALL=C sort "$work/lines" >"$work/manifest.$source"
  printf 'sha256:%s' "$(sha256_hex <"$work/manifest.$source")"
}

manifest checkout >"$work/hash.checkout"
here_hash=$(cat "$work/hash.checkout")
if [ -z "$origin" ]; then
  echo "$here_hash"
  exit 0
fi

manifest served >"$work/hash.served"
served_hash=$(cat "$work/hash.served")
fetch /v1/relay >"$work/relay.json"
reported=$(sed -n 's/.*"web_bundle":"\(sha256:[0-9a-f]\{64\}\)".*/\1/p' "$work/relay.json")
echo "served by $origin:   $served_hash"
echo "reported by $origin: ${reported:-(none)}"
echo "this checkout:       $here_hash"
if [ "$served_hash" = "$here_hash" ] && [ "$reported" = "$here_hash" ]; then
  echo "they agree"
  exit 0
fi
echo "they differ" >&2
if ! cmp -s "$work/manifest.checkout" "$work/manifest.served"; then
  echo "files that differ (- this checkout, + served):" >&2
  diff "$work/manifest.checkout" "$work/manifest.served" | sed -n 's/^</-/p; s/^>/+/p' >&2 || true
fi
exit 1
