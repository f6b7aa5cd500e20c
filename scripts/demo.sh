#!/usr/bin/env bash
# The main job, for a newcomer: the whole flow with the real binaries, in a
# throwaway folder, on this machine only.
#
# It starts the relay on a free loopback port with a temporary data folder,
# creates a survivor, an agency and an advocate, stores a few fields and a
# document, grants a field-scoped token (prints the QR), redeems it as the
# agency, shows the refusal of a second use, lets the advocate withdraw
# another grant, and prints the survivor's checked log. Then it stops the
# relay and deletes everything it made. Passphrases are demo ones in 0600
# files.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building (the first time takes a few minutes)..."
cargo build --quiet --release -p vault-cli -p vault-server
bin="$PWD/target/release"

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
umask 077
printf 'demo passphrase, not a real one\n' >"$work/pass"

# The relay, on a port the system picks.
"$bin/vault-server" --data "$work/relay" --listen 127.0.0.1:0 2>"$work/relay.log" &
server_pid=$!
for _ in $(seq 1 100); do
  addr=$(sed -n 's/^vault-server listening on //p' "$work/relay.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "the relay did not start:" >&2; cat "$work/relay.log" >&2; exit 1; }
export VAULT_SERVER="$addr"

survivor() { "$bin/vault" --vault "$work/survivor" --passphrase-file "$work/pass" "$@"; }
agency() { "$bin/vault" --vault "$work/agency" --passphrase-file "$work/pass" agency "$@"; }
advocate() { "$bin/vault" --vault "$work/advocate" --passphrase-file "$work/pass" advocate "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "The relay is running at $addr (data in a temporary folder)"

step "A survivor, an agency and an advocate make their keys"
survivor init
agency init
advocate init
AGENCY=$(agency id)
ADVOCATE=$(advocate id)
SURVIVOR=$(survivor id)

step "The survivor saves their story once"
survivor put identity.name "Ama"
survivor put needs.housing "a ground-floor flat near the school"
survivor put needs.health "asthma; needs an inhaler"
survivor put history.private "not for anyone else"
head -c 300000 /dev/urandom >"$work/passport-scan.bin"
survivor put documents.passport --file "$work/passport-scan.bin"
survivor ls

step "The survivor shares their name and housing need (not their health or history) with the housing agency, once, for 24 hours"
survivor grant --fields identity.name,needs.housing --to "$AGENCY" \
  --purpose "Housing application" --yes --qr-png "$work/qr.png" >"$work/grant.out"
cat "$work/grant.out"
link=$(tail -n 2 "$work/grant.out" | head -n 1)

step "The agency scans the QR picture and redeems it"
agency redeem --image "$work/qr.png"

step "A second use is refused: the survivor allowed one"
agency redeem "$link" || echo "(refused, exit code $?)"

step "The survivor also shares the passport scan with anyone holding the code, and asks an advocate to help"
survivor grant --fields documents.passport --anyone --purpose "ID check at the clinic" --yes >"$work/grant2.out" 2>/dev/null
second=$(sed -n 's/^Token id: //p' "$work/grant2.out")
survivor delegate "$ADVOCATE" --expires 1d --yes

step "The survivor's phone is taken; they call the advocate, who withdraws everything"
advocate shares "$SURVIVOR"
advocate revoke --all "$SURVIVOR"
link2=$(tail -n 2 "$work/grant2.out" | head -n 1)
agency redeem "$link2" --out "$work/docs" || echo "(refused, exit code $?)"

step "The survivor reads their history, checked against tampering"
survivor grants
survivor log

printf '\nDone. The relay is stopped and every demo folder is deleted.\n'
: "$second"
