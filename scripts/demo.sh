#!/usr/bin/env bash
# The main job, for a newcomer: builds the real `vault` binary and walks a
# survivor's vault through its life in a throwaway folder — make it, save
# text and a document, list, read back, change the passphrase, remove —
# then deletes everything it made. Nothing outside the temporary folder is
# touched, and the passphrase is a demo one in a 0600 file.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building the vault command (first time takes a few minutes)..."
cargo build --quiet --release -p vault-cli --bin vault
VAULT_BIN="$PWD/target/release/vault"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
printf 'demo passphrase, not a real one\n' >"$work/pass"
printf 'a newer demo passphrase\n' >"$work/newpass"
vault() { "$VAULT_BIN" --vault "$work/vault" --passphrase-file "$work/pass" "$@"; }
step() { printf '\n\033[1m$ vault %s\033[0m\n' "$*"; }

step init
vault init

step put identity.name "Ama"
vault put identity.name "Ama"
step put needs.housing "a ground-floor flat near the school"
vault put needs.housing "a ground-floor flat near the school"

head -c 3145728 /dev/urandom >"$work/passport-scan.bin"
step put documents.passport --file passport-scan.bin
vault put documents.passport --file "$work/passport-scan.bin"

step ls
vault ls

step get needs.housing
vault get needs.housing

step get documents.passport --out passport-copy.bin
vault get documents.passport --out "$work/passport-copy.bin"
cmp "$work/passport-scan.bin" "$work/passport-copy.bin" && echo "(the copy is byte-for-byte the original)"

step "get needs.housing   # with a wrong passphrase"
printf 'not the passphrase\n' >"$work/wrong"
"$VAULT_BIN" --vault "$work/vault" --passphrase-file "$work/wrong" get needs.housing || echo "(exit code $?)"

step "passwd --new-passphrase-file newpass"
vault passwd --new-passphrase-file "$work/newpass"
mv "$work/newpass" "$work/pass"

step "rm identity.name --yes"
vault rm identity.name --yes

step ls
vault ls

printf '\nWhat someone holding this device would find in the vault folder:\n'
if grep -rqa -e 'ground-floor flat' -e 'needs.housing' -e 'identity.name' "$work/vault"; then
  echo "PLAINTEXT FOUND: this is a bug" >&2
  exit 1
fi
echo "no field names and no values: everything is sealed."
printf '\nDone. The demo folder has been deleted.\n'
