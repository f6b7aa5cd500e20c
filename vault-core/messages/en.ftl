# Everything the programs say to a person, in English: one catalogue for the
# command line (vault), the agency's page and the survivor's app (Fluent
# syntax, https://projectfluent.org/fluent/guide/). vault-core compiles it in
# (`vault_core::messages`); the browser module formats it with the same
# code, so every client says the same thing.
#
# The words are read by whoever holds the device, in front of whoever is
# near. Calm and plain; never "survivor", "trafficking", "victim" or
# "abuse" in anything a code holder or bystander reads; never telling the
# holder of a code that the person who gave it acted. Tests in
# vault-core/src/messages.rs check every message formats without error.

## Shared phrases

-ask-again = If you still need this information, ask the person who gave you the code whether they would like to share it again.

## Problems opening a share (vault_core::words::ProblemKind): a short title,
## what it means (.message) and what to do next (.next). The page and
## `vault agency redeem` say these.

problem-revoked = This code can no longer be used
    .message = It cannot open anything now.
    .next = { -ask-again }

problem-expired = This code has expired
    .message = The time this code was given for is over, so it can no longer be used.
    .next = { -ask-again }

problem-used-up = This code has already been used
    .message = This code has been used as many times as it allows, so it can no longer be used.
    .next = If you did not open it before, tell the person who gave you the code: someone else may have used it. Ask whether they would like to share again.

problem-not-yet-valid = This code is not valid yet
    .message = This code starts at a later time, or the clock on this device is wrong.
    .next = Check the date, time and time zone on this device, or try again later.

problem-wrong-audience = This code is for a different agency
    .message = The key file that is loaded is not the key of the agency this code was given to.
    .next = Load your own agency's key file and try again. Also check the clock on this device: if it is more than 5 minutes off, the relay cannot confirm the key.

problem-clock-skew = This device's clock is wrong
    .message = This device's clock is more than 5 minutes off, so the relay could not confirm the key. The code was not used.
    .next = Correct the date, time and time zone on this device, then try again.

problem-needs-key = This code is for one named agency
    .message = Only the agency this code was given to can open it, with its key file.
    .next = Load your agency's key file (a .vaultkey file, made on the agency's computer with "vault agency export-key") and its passphrase, then try again.

problem-not-found = Nothing was found for this code
    .message = The code may be incomplete or copied wrongly, or the relay no longer holds it.
    .next = Scan the code again, or copy the whole link. If it still fails, ask the person who gave you the code to share again.

problem-rate-limited = Too many attempts right now
    .message = The relay is receiving too many requests at the moment.
    .next = Wait a minute, then try again.

problem-busy = The relay is busy
    .message = The relay cannot answer this right now.
    .next = Wait a minute, then try again.

problem-not-genuine = This information could not be verified
    .message = What the relay sent did not pass the checks, so none of it is shown. It may have been changed on the way.
    .next = Do not use any of it. Ask the person who gave you the code to share again, and tell whoever handles security at your agency.

problem-bad-link = This link is not complete
    .message = This is not a usable share link, or part of it is missing.
    .next = Scan the code again, or copy the whole link, including everything after the "#".

problem-bad-key-file = This key file cannot be used
    .message = The file is not an agency key file (an advocate's key file does not work here), or it is damaged.
    .next = Choose the .vaultkey file made on your agency's computer with "vault agency export-key".

problem-wrong-passphrase = The passphrase did not open the key file
    .message = The passphrase does not match this key file, or the file was changed.
    .next = Check the passphrase and try again. If it still fails, make a new key file on the agency's computer with "vault agency export-key".

problem-unknown = We could not confirm this code
    .message = The relay could not be reached, or its answer could not be understood, so it is not known whether this code is valid.
    .next = Do not treat it as valid. Check the internet connection and try again. If it then says the code was already used, the first try may have counted: ask for a new code.

# A wrong clock whose offset the relay told: $minutes (whole, at least 1),
# $direction "ahead" or "behind".
problem-clock-skew-off = This device's clock is about { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } off ({ $direction ->
        [ahead] ahead of
       *[behind] behind
    } the relay's time), so the relay could not confirm the key. The code was not used.

## vault check

check-remove-question = Remove the { $fields ->
        [one] damaged field
       *[other] { $fields } damaged fields
    }? Nobody can read { $fields ->
        [one] it
       *[other] them
    } any more, and { $fields ->
        [one] it cannot
       *[other] they cannot
    } be brought back.
check-removed = Removed { $removed ->
        [one] 1 damaged field
       *[other] { $removed } damaged fields
    }.
check-advice-fields = To keep a damaged field, save it again with `vault put --replace FIELD`; to remove the fields that cannot be read, run `vault check --repair`.
check-advice-other = Damaged share records stay as they are; `vault revoke --all` still withdraws every share at the relay.
check-all-read = { $count ->
        [one] The 1 saved field reads
       *[other] All { $count } saved fields read
    } correctly, documents to their last byte.
check-some-read = { $count ->
        [one] 1 saved field reads
       *[other] { $count } saved fields read
    } correctly.
check-document-damaged = { $path } is damaged: its document cannot be read.
check-records-damaged = { $count ->
        [one] 1 field is damaged and cannot be read; its name is kept inside it, so it cannot be shown.
       *[other] { $count } fields are damaged and cannot be read; their names are kept inside them, so they cannot be shown.
    }
check-other-damaged = { $count ->
        [one] 1 saved share or relay record is damaged and cannot be read.
       *[other] { $count } saved share or relay records are damaged and cannot be read.
    }

## vault contacts (and vault advocate contacts)

contact-not-yours = { $id } is not one of your contacts. Check this id with the { $role ->
        [advocate] advocate
       *[agency] agency
    } itself, face to face or from its own QR code; to give it a name: vault contacts add NAME { $id }
contact-added = Added { $label }. Use the name wherever an id is asked for, like: { $use_it }
contact-use-shares-by-name = vault advocate shares shows it by name
contact-same-id = This id is also your contact "{ $other }"; both names now mean the same { $role }.
contacts-unreadable = { $count ->
        [one] 1 contact could not be read; it may have been damaged. Add it again if you need it.
       *[other] { $count } contacts could not be read; they may have been damaged. Add them again if you need them.
    }
contacts-none = You have no contacts yet. Add one with: vault contacts add NAME ID
contact-removed = Removed the contact { $label }. Shares and permissions you already gave are not changed; see `vault grants`.

## vault agency export-key

key-file-exists = { $path } already exists, so no key file was written; choose a new file name.
key-file-written = Wrote the agency's key file to { $path }. Load it into the agency's page, with the passphrase you just chose, to open shares meant for this agency on a phone or another computer.
    Whoever has this file and its passphrase can open shares meant for this agency, so keep it like the agency's vault itself: only on devices the agency controls, never by email or in a shared folder, and delete copies that are no longer needed.
key-file-rename-tip = Tip: rename it to end in { $ending }, the ending the agency's page looks for.
key-file-agency-id = Agency id: { $id }
key-file-folder-not-allowed = This user may not make files in the folder { $folder }, so no key file was written; choose a folder you can write to.
key-file-random-failed = This computer's random number generator failed, so no key file was written. Please try again.
key-file-not-written = { $reason }, so no key file was written.
key-file-written-advocate = Wrote the advocate's key file to { $path }. Load it into Folio (the app, under "Acting for someone"), with the passphrase you just chose, to list and withdraw shares for the people who gave you permission, on a phone or another computer.
    Whoever has this file and its passphrase can withdraw the shares of everyone who gave you permission, so keep it like your vault itself: only on devices you control, never by email or in a shared folder, and delete copies that are no longer needed.
key-file-rename-tip-advocate = Tip: rename it to end in { $ending }, the ending Folio looks for.
key-file-advocate-id = Advocate id: { $id }

## vault agency id --qr, vault advocate id --qr

id-qr-note = Someone you work with can add you to their contacts by scanning this code, or by typing the id below: vault contacts add NAME { $id }

## vault rm

rm-question = Remove { $path }? It cannot be brought back.
rm-removed = Removed { $path }.

## Ids (vault_core::id)

id-empty = the id is empty; paste the whole id, starting with `{ $expected_prefix }1`
# $found and $expected are roles: agency, advocate, relay or survivor.
id-wrong-role = this is the id of { $found ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    }, but { $expected ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    } id is needed here; check that you copied the right one
id-malformed = this id has a typo or is incomplete; copy it again, it starts with `{ $expected_prefix }1`

## Field names (vault_core::path)

path-empty = the field name is empty; use a name like `needs.housing`
path-too-long = the field name is too long; use at most { $max_segments } parts and { $max_path_len } characters, like `needs.housing`
path-empty-segment = the field name has an empty part between dots; use a name like `needs.housing`
path-segment-too-long = a part of the field name is longer than { $max_segment_len } characters; use shorter words
path-bad-character = field names use only lower-case letters, digits, `_` and `-`, each part starting with a letter, like `needs.housing`

## Contacts (vault_core::contacts)

contact-empty-name = give the contact a name, like "Housing North"
contact-bad-name = a contact's name must be one line of at most { $max_name_chars } characters
contact-name-like-id = a contact's name cannot start like an id (agency1…, advocate1…, survivor1…); choose another name
contact-exists = you already have a contact named "{ $value }"; remove it first with `vault contacts rm`, or choose another name
contact-not-found = no contact named "{ $value }"; see `vault contacts ls`, or give the whole id
# $found and $expected are roles: agency, advocate, relay or survivor.
contact-wrong-role = "{ $name }" is { $found ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    }, but { $expected ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    } is needed here; give the name or id of { $expected ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    }
# $keeper is the role of whoever keeps the contacts.
contact-not-a-contact-role = { $found ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    } cannot be a contact here; add { $keeper ->
        [advocate] a survivor's or an agency's id
       *[other] an agency's or an advocate's id
    }

## Field scopes (vault_core::scope)

scope-empty = no fields were chosen; name each field to share, like `identity.name,needs.*`
scope-too-many = too many fields in one share; choose at most { $max_entries }
scope-bad-entry = `{ $entry }` is not a field name or `name.*`: { $reason }

## Stored formats (vault_core::format)

frame-bad-magic = not the expected kind of data
frame-unknown-version = made by a newer version of this program
frame-malformed = damaged data

## Cryptography (vault_core::crypto)

crypto-decrypt = could not decrypt
crypto-random = the system random number generator failed
crypto-derive = key derivation failed

## Document streams (vault_core::crypto::stream)

stream-decrypt = could not decrypt
stream-misuse = chunk of the wrong size or after the last chunk

## Passphrase keys (vault_core::crypto::kdf)

kdf-out-of-range = the key-derivation settings in this vault are not ones this version accepts

## The relay's log (vault_core::relay::log)

log-damaged = the log has a damaged entry
log-chain-mismatch = the log's entries do not match its signed summary; it was changed
log-bad-signature = the log's summary is not signed by the relay you know
log-rewritten = the log is shorter than, or different from, the one you saw before; history was rewritten or cut

## Signed requests (vault_core::relay::request)

request-malformed = the request's signature headers are missing or malformed
request-wrong-role = this request must be signed by another kind of key
request-stale = the request's time is too far from the relay's clock
request-bad-signature = the request's signature does not verify

## Consent tokens (vault_core::token)

token-bad-magic = this is not a consent token
token-unknown-version = this consent token was made by a newer version
token-trailing-bytes = the consent token has extra bytes at the end
token-malformed = the consent token is damaged or incomplete
token-non-canonical = the consent token is not in its one valid encoding
token-bad-key = the consent token's signing key is not valid
token-bad-signature = the consent token's signature does not match; it was changed or forged
token-bad-uses = the consent token allows no uses, or too many
token-bad-window = the consent token ends before it starts
token-too-long = the consent token is valid for too long; no consent lasts for ever
token-bad-length = the consent token names a share smaller than any real one, so it cannot be used; ask for a new link
token-not-yet-valid = the consent is not valid yet
token-expired = the consent has expired
token-wrong-audience = the consent was given to a different agency
token-wrong-secret = the link does not match this consent token

## Key files, an agency's or an advocate's (vault_core::keyfile)

key-file-too-large = this file is far too large to be a key file; choose the .vaultkey file made by `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-empty = this file is empty, so it is not a key file; choose the .vaultkey file made by `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-not-key-file = this is not a key file; choose the .vaultkey file made by `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-truncated = this key file is incomplete, perhaps cut short while copying; copy it again, or make a new one with `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-damaged = this key file is damaged; make a new one with `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-unknown-version = this key file was made by a newer version of this program; update this program, or make a new key file with `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-settings = this key file asks for key-derivation settings outside the accepted range, so it was not opened; make a new one with `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-wrong-passphrase = the passphrase is wrong, or the file was changed; check the passphrase and try again, or make a new key file with `vault agency export-key` (for an advocate: `vault advocate export-key`)
key-file-not-agency = this key file does not hold an agency's key (an advocate's key file works only in Folio, under "Acting for someone"); choose the file made by `vault agency export-key`
key-file-not-advocate = this key file does not hold an advocate's key (an agency's key file works only on the agency's page); choose the file made by `vault advocate export-key`
key-file-wrong-role = only an agency's or an advocate's keys can be kept in a key file
key-file-random = the system's random number generator failed, so no key file was made; try again

## The store (vault_core::store)

store-io = storage failed: { $value }

## Share links (vault_core::share::link)

link-scheme = the link must start with https://
link-insecure = the link uses http:// to another machine; only https:// links are safe
link-host = the link's server name is not valid
link-path = this is not a share link (it should contain /S#)
link-missing-secret = the link is missing the part after #; copy the whole link
link-encoding = the part after # has characters that cannot be in a share link; copy it again
link-length = the part after # is too short or too long; copy the whole link

## Opening a share (vault_core::share::open)

# $part names the part of the relay's answer that could not be read.
open-unreadable = { $part ->
        [token] the token could not be read
        [share] the shared data could not be read
        [receipt] the receipt could not be read
        [receipt-signature] the receipt's signature could not be read
       *[relay] the relay did not say who it is
    }
open-wrong-token-id = it is for a different share than this link
open-not-signed = the shared data is not what the sender signed
open-bad-share = the shared data could not be decrypted; it may have been changed
open-consent-mismatch = the consent text is not the one the sender saw
open-out-of-scope = it holds a field the sender did not agree to share
open-bad-receipt = the relay's receipt does not match

## Upload bundles (vault_core::share::bundle)

bundle-malformed = this is not an upload bundle, or it is incomplete

## Pictures of a QR code (vault agency redeem --image, vault contacts add --image)

picture-too-large = The picture { $path } is larger than { $max_mib } MiB, too large to be a photo of { $what ->
        [id] an id code
       *[share] a share code
    }. Take a smaller photo of the code, or give { $what ->
        [id] the id
       *[share] the link
    } instead.
contact-needs-id = Give the contact's id, or --image PICTURE with a photo of their id code.

## Signed requests whose time the relay refused (survivor and advocate commands)

request-clock-skew = This computer's clock is about { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } off ({ $direction ->
        [ahead] ahead of
       *[behind] behind
    } the relay's time), so the relay did not accept the request and nothing was changed. Correct the date, time and time zone on this computer, then try again.
request-clock-skew-unknown = This computer's clock is more than 5 minutes off the relay's, so the relay did not accept the request and nothing was changed. Correct the date, time and time zone on this computer, then try again.
request-clock-corrected = This computer's clock is about { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } off ({ $direction ->
        [ahead] ahead of
       *[behind] behind
    } the relay's time), so the request was signed again with the relay's time. Correct the date, time and time zone on this computer when you can.
## QR codes (vault_core::qr)

qr-too-long = the link is too long for a QR code
qr-not-png = the picture is not a PNG file that can be read
qr-not-picture = the file is not a PNG or JPEG picture that can be read. Give a photo or screenshot of the code saved as JPEG or PNG
qr-heic = this picture is in HEIC format, which this program cannot read. On the phone, share or export the photo as JPEG (on an iPhone: Settings, Camera, Formats, Most Compatible), or take a screenshot of the code and use that
qr-too-large = the picture is too large; use a smaller picture or a screenshot
qr-not-found = no QR code could be read in the picture; try a sharper, brighter picture
qr-io = could not write the picture: { $reason }

## Times in sentences (vault_core::time::long_text, span_text). The signed
## consent text does not use these: it is always English (consent-token-v1).

# A date and time on the person's own screen: $day and $month (1-12) are
# numbers, $year, $time (14:03) and $zone (CET, UTC) are text.
time-long = { $day } { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }, { $time } { $zone }
time-minutes = { $count ->
        [one] 1 minute
       *[other] { $count } minutes
    }
time-hours = { $count ->
        [one] 1 hour
       *[other] { $count } hours
    }
time-days = { $count ->
        [one] 1 day
       *[other] { $count } days
    }
time-weeks = { $count ->
        [one] 1 week
       *[other] { $count } weeks
    }
# Two or three of the lengths above: "1 day and 6 hours".
time-two = { $first } and { $second }
time-three = { $first }, { $second } and { $third }

## The vault (vault_core::vault)

vault-not-found = there is no vault in { $folder }
vault-already-exists = there is already a vault in { $folder }
vault-not-a-folder = { $folder } is a file, not a folder
vault-not-empty = the folder { $folder } already has other files in it
vault-locked = the vault is open in another program
vault-wrong-passphrase = the passphrase did not open this vault
vault-header-damaged = the vault's key information is damaged
vault-newer = the vault was made by a newer version of Survivor Vault
vault-field-not-found = there is nothing saved under { $field }
vault-unreadable = { $field } could not be decrypted; it may have been damaged or changed
vault-identity-unreadable = the vault's identity could not be decrypted; it may have been damaged or changed
vault-record-unreadable = a saved record could not be decrypted; it may have been damaged or changed
vault-old-store-unreadable = the vault's records are in an older format that could not be read; it may be damaged
vault-not-private = { $folder } can be read by other people on this computer, and could not be made private
vault-text-too-long = the text is longer than { $max_text_len } bytes

## Grants (vault_core::grant)

grant-nothing-matches = nothing is saved under { $entry }; run `vault ls` to see what is saved
grant-empty-purpose = please say what this is for, in a few words
grant-purpose-lines = please write the purpose on one line, without special characters
grant-purpose-too-long = the purpose is longer than { $max_purpose_len } bytes; please say it more briefly
grant-not-an-agency = a share can only be addressed to an agency id (agency1…)
grant-origin = the relay address is not usable: { $reason }
grant-io = could not write the sealed share: { $reason }

## Shares (vault_core::share)

share-decrypt = the shared data could not be decrypted; it may have been changed

## Document names (vault_core::docname)

name-empty = the file name is empty
name-too-long = the file name is longer than { $max_name_len } bytes
name-hidden = the file name holds a hidden or control character
name-separator = the file name holds a / or \
name-dots = the file name is only dots
name-media-type = the media type is not a plain type/subtype

## Relay refusals (vault_core::relay::Refusal::message): what the relay answers
## to a request it will not carry out. Code holders read most of these.

refusal-revoked = This code can no longer be used.
refusal-expired = The time this share was given for is over. It cannot be used any more.
refusal-not-yet-valid = This share is not valid yet. Check this computer's clock, or try again later.
refusal-used-up = This share has already been used as many times as it allows.
refusal-wrong-audience = This share was given to a different agency, so it cannot be used here.
refusal-not-found = No share was found for this code. Check that the whole code was copied.
refusal-bad-request = The request could not be understood or was not validly signed.
refusal-rate-limited = Too many requests right now. Please wait a minute and try again.
refusal-too-large = The request is too large.
refusal-conflict = This share is already at the relay.
refusal-busy = The relay is busy with other uploads right now. Please wait a minute and try again.
refusal-method-not-allowed = This address does not take that kind of request; see /openapi.json for what it takes.
refusal-clock-skew = This computer's clock is too far from the relay's time. Correct the date, time and time zone, then try again; nothing was used.
refusal-no-permission = You have no current permission to act for this person, so nothing was done.

## File permissions (vault_core::fsmode)

mode-not-private = could not make { $path } private: { $reason }

## Errors of every vault command (vault-cli/src/error.rs)

error-cancelled = Nothing was changed.
error-file-not-found = The file { $path } was not found. Check the name and the folder, then try again.
error-folder-not-found = The folder { $folder } does not exist, so { $path } could not be made. Create the folder first, or give a path in a folder that exists.
error-permission-denied = This program is not allowed to { $action } { $path }. Check the file's permissions.
error-output-exists = { $path } already exists, so nothing was written. Choose a new file name, or move that file first.
error-is-a-folder = { $path } is a folder, not a file. Give the path of a file.
error-read-only-disk = { $path } is on a disk that cannot be written to, so nothing was written. Choose a place on another disk.
error-no-space = There is not enough space on the disk to { $action } { $path }, so nothing was saved. Make room on the disk, then try again.
error-bad-output = { $path } is not a file name this system accepts. Choose a simpler name.
error-io = Could not { $action } { $path }. Check the disk and the path, then try again.
error-vault-not-readable = The vault folder { $folder } cannot be opened by this user (permission denied), so nothing was changed. Run this as the user who made the vault, or make the folder yours again.
# "the vault" in the sentences below ($vault, or $vault_cap at the start of one).
error-the-vault = the vault
error-the-vault-in = the vault in { $folder }
error-vault-not-writable = This user is not allowed to change the files of { $vault } (permission denied), so nothing was changed. Run this as the user who made the vault, or make its folder and files yours again.
error-vault-read-only = { $vault_cap } is on a disk that cannot be written to, so nothing was changed. Copy the vault folder to a disk that can be written to, then use it there with --vault.
error-vault-no-space = The disk holding { $vault } is full, so nothing was changed. Make room on the disk, then try again.
error-vault-storage = { $vault_cap } could not be read or written, so nothing was changed. Check that the disk has space and that the folder and its files belong to you, then try again.
error-no-vault = There is no vault in { $folder } yet. To make one, run `vault init`; if your vault is in another folder, give it with --vault.
error-vault-exists = There is already a vault in { $folder }, so nothing was changed. To make another one, choose a new folder with --vault.
error-folder-not-empty = The folder { $folder } already has other files in it, so no vault was made there. Choose an empty or new folder with --vault.
error-not-a-folder = { $folder } is a file, not a folder, so no vault was made there. Choose a folder for the vault with --vault.
error-locked = The vault is open in another program right now. Close that program, then try again.
error-wrong-passphrase = That passphrase did not open the vault. Nothing was changed; please try again.
error-header-damaged = Both copies of the vault's key information are damaged, so the vault cannot be opened. If you have a copy of the vault folder, try the copy.
error-identity-damaged = Both copies of the vault's identity are damaged, so the vault cannot be opened. If you have a copy of the vault folder, try the copy.
error-newer-vault = This vault was made by a newer version of this program. Please update it, then try again.
error-field-not-found = There is nothing saved under { $field }. Run `vault ls` to see what is saved.
error-could-not-decrypt = { $field } is damaged and cannot be read; your other fields are not affected. To keep it, save it again with `vault put --replace { $field }`, and run `vault check` to see whether anything else is damaged.
error-old-store-unreadable = This vault was saved by an earlier version, and its records could not be read to bring them up to date; the folder was left exactly as it was. If you have a copy of the vault folder, try the copy.
error-not-private = Other people on this computer can read { $path }, and this program could not make it private, so the vault was not opened. Make the folder and its files yours alone (for example: chmod -R go-rwx), then try again.
error-text-too-long = That text is longer than { $max_text_len } bytes. Save it as a document instead, with --file PATH.
error-random = This computer's random number generator failed, so nothing was saved. Please try again.
error-failure = { $vault_cap } could not do that, so nothing was changed. Please try again.

## Passphrases (every vault command that opens a vault or makes a key file)
## The prompts end with a space added by the program.

passphrase-file-too-long = The passphrase file { $path } is longer than { $max_file_len } bytes, so it cannot be a passphrase file. Check that you gave the right file.
passphrase-file-not-text = The passphrase file { $path } is not text. Save the passphrase as plain text.
passphrase-file-empty = The passphrase file { $path } is empty. Put the passphrase in it, then try again.
passphrase-none-typed = No passphrase was typed, so nothing was changed. Please try again.
passphrase-none-given = No passphrase was given. Run this in a terminal to be asked for it, or use --passphrase-file FILE.
passphrase-prompt = Passphrase:
passphrase-prompt-new =
    Choose a passphrase (at least { $min_len } characters; a few unrelated words work well).
    It is not shown as you type.
    New passphrase:
passphrase-prompt-key-file =
    Choose a passphrase for the key file, different from the vault's (at least { $min_len } characters; a few unrelated words work well).
    You will type it on the agency's page to load the key. It is not shown as you type.
    Key file passphrase:
passphrase-too-short = That passphrase is too short, so nothing was changed. Please choose a passphrase of at least { $min_len } characters; a few unrelated words are easy to remember and hard to guess.
passphrase-prompt-again = Type it again to check:
passphrase-mismatch = The two passphrases were not the same, so nothing was changed. Please try again.
passphrase-try-again = That passphrase did not open the vault. Please type it again.
passphrase-last-wrong = That passphrase did not open the vault either ({ $tries } tries), so nothing was changed. Check that Caps Lock is off and that the keyboard is set to the language you used when you chose the passphrase, then run the command again. Nobody can recover a lost passphrase, not even the people who made this program: without it, what is in this vault cannot be opened.

## A command line that could not be read (vault-cli/src/cli_words.rs)

# An option's value named in a sentence: "the token id".
words-the-value = the { $value }
words-missing-purpose = Say what the share is for with --purpose, for example --purpose "housing application".
words-missing-fields = Say which fields to share with --fields, for example --fields needs.housing (`vault ls` lists what you saved).
words-missing-to = Say who may use the share: --to with an agency's contact name or id, or --anyone for whoever holds the code.
words-missing-out = Say where to save the key file with --out, for example --out agency.vaultkey.
words-missing-token-advocate = Say which share to withdraw: its token id from `vault advocate shares`, or --all with the person's contact name or id for all of their shares.
words-missing-token = Say which share to withdraw: its token id from `vault grants`, or --all for all of your shares.
words-missing-link = Give the share link (or - to read it from standard input), or --image with a picture of its QR code.
words-missing-advocate = Say which advocate: a contact's name, or their id (advocate1…).
words-missing-survivor = Say whose shares: a contact's name, or their id (survivor1…).
words-missing-field = Give the field name, like needs.housing (`vault ls` lists what you saved).
words-missing-name = Give the contact's name, like "Housing North".
words-missing-their-id = Give their id, or the text of their QR code.
words-missing-id = Give their id (agency1… or advocate1…), or the text of their QR code.
words-missing-other = { $what_cap } is missing. Run the command with --help to see what it needs.
words-unknown-option = This command has no option `{ $option }`.
words-did-you-mean-option = Did you mean { $option }?
words-see-options = Run it with --help to see its options.
words-unknown-command = There is no command `{ $command }`.
words-did-you-mean-command = Did you mean `{ $command }`?
words-see-commands = Run vault --help to see the commands.
words-see-values = Run the command with --help to see what it takes.
words-choose-one = Choose one of: { $choices }.
words-needs-value = { $option } needs a value.
words-bad-value = `{ $value }` is not a usable value for { $option }.
words-another-option = another option
words-conflict = { $option_cap } and { $other } cannot be used together; give one or the other.
words-not-utf8 = One of the words given is not readable text (it is not UTF-8), so nothing was done. Type it again with the keyboard, or check how it was pasted.
words-not-understood = This command line could not be understood. Run the command with --help to see how to use it.

## Opening a vault or key folder (every command; vault-cli/src/main.rs)

main-no-home = Could not find your user data folder. Choose the folder with --vault DIR.
main-old-folder-too = There is also a folder from an earlier version of this program, { $old }; this program now uses { $new }. Nothing was moved or removed.
main-folder-renamed = Your data folder has a new, plainer name: { $old } is now { $new }. Nothing in it was changed.
main-folder-not-renamed = Your data folder { $old } could not be renamed to { $new }, so it is used where it is. Nothing in it was changed.
main-bad-server = The relay address { $server } is not usable: { $reason }.
# $role is agency, advocate or relay.
main-no-keys = There are no { $role } keys in { $folder } yet. To make them, run `vault { $role } init`; if they are in another folder, give it with --vault.
# $found and $wanted are roles: agency, advocate, relay or survivor.
main-wrong-kind = The folder { $folder } holds the keys of { $found ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    }, not of { $wanted ->
        [agency] an agency
        [advocate] an advocate
        [relay] a relay
       *[survivor] a survivor
    }. Choose the right folder with --vault.
main-repaired-header = One of the two copies of your vault's key information was damaged or missing; it was restored from the other copy. Nothing was lost.
main-repaired-identity = One of the two copies of your vault's identity was damaged or missing; it was restored from the other copy. Nothing was lost.
main-repaired-permissions = { $count ->
        [one] 1 file or folder in your vault could be read by other people on this computer; it is now private to you.
       *[other] { $count } files or folders in your vault could be read by other people on this computer; they are now private to you.
    }
main-migrated = { $count ->
        [one] Your vault was brought up to date: its 1 record is now kept in a file of its own, so damage to the disk can only cost what it touches.
       *[other] Your vault was brought up to date: its { $count } records are now kept one file each, so damage to the disk can only cost what it touches.
    }

## Questions and new files (vault-cli/src/output.rs)

output-no-terminal = { $question } There is no terminal to ask on, so nothing was changed; add { $flag } to go ahead.
output-confirm = { $question } Type y for yes, or press Enter to stop:
output-not-a-file-name = { $path } is not a file name. Give the path of a new file.

## vault put

put-too-large-size = { $path } is { $size }, larger than the largest document a vault keeps ({ $max }), so nothing was saved. Check that it is the right file; a very large file can be saved in parts.
put-too-large = { $path } is larger than the largest document a vault keeps ({ $max }), so nothing was saved. Check that it is the right file; a very large file can be saved in parts.
put-no-space-size = There is not enough free space on this disk to save { $path } ({ $size }) ({ $free } free, and { $keep_free } is kept free), so nothing was saved. Make room on the disk, then try again.
put-no-space = There is not enough free space on this disk to save { $path } ({ $free } free, and { $keep_free } is kept free), so nothing was saved. Make room on the disk, then try again.
put-bad-file-name = The file name { $name } { $why ->
        [not-text] is not valid text
        [too-long] is longer than { $max_name_len } bytes
        [hidden] holds hidden or control characters
        [separator] holds a backslash
       *[other] is not a usable name
    }, so it cannot be kept with the document, and nothing was saved. Rename the file (or copy it under a plain name), then save it again.
put-empty = There was nothing to save. Give the text after the field name, or type it when asked.
# $kind is text or document.
put-saved = Saved { $field } ({ $kind }, { $size }).
put-name-kept = Its file name, "{ $name }", is kept with it and goes with it when it is shared.
put-replace = Something is already saved under { $field }. Replace it?
put-type-text = Type what you want to save, then press Enter:
put-not-text = The input is not text. To save a file, use --file PATH.
put-read-failed = Could not read the text to save. Type it again, or save it from a file with --file.

## vault get

get-wrote = Wrote { $field } to { $path } ({ $size }). Only you can read that file; delete it when you no longer need it.
get-document-named = { $field } is a document, so it is not shown here. Save it to a file with --out PATH (it was saved from a file named "{ $name }").
get-document = { $field } is a document, so it is not shown here. Save it to a file with --out PATH.

## vault ls

ls-empty = Nothing is saved yet. Save something with `vault put FIELD`.
ls-unreadable = { $count ->
        [one] 1 saved item is damaged and cannot be read; everything listed here is fine. Run `vault check` to see more, and `vault check --repair` to remove what cannot be read.
       *[other] { $count } saved items are damaged and cannot be read; everything listed here is fine. Run `vault check` to see more, and `vault check --repair` to remove what cannot be read.
    }

## vault init, vault agency init, vault advocate init

init-ready =
    Your vault is ready in { $folder }.
    Only your passphrase opens it. Nobody can recover it for you, so keep the passphrase somewhere safe, away from this device.
init-ready-agency = The agency's keys are ready in { $folder }. Give the people you work with the id below, so they can share with this agency.
init-ready-advocate = The advocate's keys are ready in { $folder }. Give the people you work with the id below if they want you to be able to withdraw their shares for them.
init-your-id = Your id
init-agency-id = Agency id
init-advocate-id = Advocate id

## vault passwd

passwd-changed = Your passphrase is changed. The old one no longer opens the vault.

## An advocate's permission that ends soon (vault grants, vault log)

permission-ending = Your advocate ({ $advocate }) can act for you until { $until }. If you still want their help after that, give them permission again (vault delegate).

## vault grants

# Fills "so { $what } is unknown" in the relay's connection messages.
grants-what-status = each share's status
grants-offline = Showing what this device knows; the status column says `unknown`.
grants-to-anyone = anyone with the code
grants-unreadable = { $count ->
        [one] 1 saved share record could not be decrypted; it may have been damaged.
       *[other] { $count } saved share records could not be decrypted; they may have been damaged.
    }
grants-none = You have not shared anything yet.

## vault delegate, vault undelegate

delegate-replace = Do you want to replace that permission with this one?
delegate-ask = Do you want to let this advocate act for you?
# Fills "so { $what } is unknown" in the relay's connection messages.
delegate-what-given = whether the advocate may act for you
delegate-not-noted = The permission was given, but this vault could not note it down; `vault delegate` will not be able to say what a new permission replaces.
# $undelegate is the contact's name in quotes, or the advocate's id.
# {"  "} keeps the indent of a line that starts with an argument (Fluent drops it otherwise).
delegate-done =
    Done. Until { $until }, { $advocate } can see how your shares stand and withdraw them if you ask.
    For a crisis call, give the advocate your id, so they can find your shares:
    {"  "}{ $id }
    To stop this sooner: vault undelegate { $undelegate }
delegate-too-short = A permission must last at least 5 minutes; give a length like 7d (the longest is 90 days).
delegate-too-long = A permission can last at most { $longest }; choose a shorter time. You can give permission again later.
delegate-passed = That time has already passed. Give a time in the future, like 7d.
undelegate-none = The advocate { $advocate } did not have permission to act for you, so nothing changed.
# Fills "so { $what } is unknown" in the relay's connection messages.
undelegate-what-removed = whether the permission was removed
undelegate-done = The advocate { $advocate } can no longer act for you.

## vault revoke (and vault advocate revoke, which words its outcome the same way)

# What withdrawing cannot do, said every time something is withdrawn.
-cannot-undo = This cannot take back what an agency may already have seen.
revoke-already = That share was already withdrawn, so nothing changed.
revoke-nothing-left = There was nothing left to withdraw, so nothing changed.
revoke-done-one = Withdrawn. From now on nobody can use it. { -cannot-undo }
revoke-done-some-ended = { $count ->
        [one] Withdrew 1 share; it may already have ended (expired or used up). From now on nobody can use it. { -cannot-undo }
       *[other] Withdrew { $count } shares; some may already have ended (expired or used up). From now on nobody can use them. { -cannot-undo }
    }
revoke-all-ended = { $count ->
        [one] Nothing could still be used: that share had already ended (expired or used up), and is now withdrawn too.
       *[other] Nothing could still be used: those { $count } shares had already ended (expired or used up), and are now withdrawn too.
    }
revoke-done-live = { $count ->
        [one] Withdrew 1 share that could still be used. From now on nobody can use it. { -cannot-undo }
       *[other] Withdrew { $count } shares that could still be used. From now on nobody can use them. { -cannot-undo }
    }
revoke-also-ended = { $count ->
        [one] 1 more had already ended (expired or used up) and is now withdrawn too.
       *[other] { $count } more had already ended (expired or used up) and are now withdrawn too.
    }
revoke-bad-token-id = Give the share's token id from `vault grants` (at least its first 8 characters, 0-9 and a-f).
# Fills "so { $what } is unknown" in the relay's connection messages.
revoke-what-all = whether your shares were withdrawn
revoke-no-such-token = None of your shares has that token id. Run `vault grants` to see them.
revoke-ambiguous = More than one of your shares starts with that; give more of the token id.
# Fills "so { $what } is unknown" in the relay's connection messages.
revoke-what-one = whether the share was withdrawn
# One line per share withdrawn by --all.
revoke-line = { $short_id }  to { $to }  for "{ $purpose }"
revoke-line-elsewhere = { $short_id }  (not made on this device)

## vault grant

grant-bad-uses = --uses must be between 1 and { $max_uses }; the safe choice is 1.
grant-ask = Do you want to share this?
# Fills "so { $what } is unknown" in the relay's connection messages.
grant-what-stored = whether the share was stored
# Added after a connection message that already says "try again".
grant-nothing-shared = Nothing was shared.
grant-nothing-shared-again = Nothing was shared; you can try again.
grant-show-to-agency = Show this code only to the agency { $agency }; nobody else can use it.
grant-show-to-anyone = Anyone who has this code or link can use it, so show it only to the person you mean.
# $who is grant-show-to-agency or grant-show-to-anyone.
grant-shared =
    Shared. { $who }
    It works until { $until }. You can withdraw it at any time with `vault revoke { $withdraw_id }`.
grant-token-id = Token id: { $token_id }
# The printable page (--qr-print): neutral words only, as a stranger may see the paper.
grant-print-heading = Shared information
grant-print-scan = Scan to open
grant-print-until = Valid until { $until }
grant-print-uses = Uses: { $uses }
grant-print-withdraw-id = Withdraw id: { $withdraw_id }
grant-upload-file-failed = Could not write the sealed share on this computer, so nothing was shared. { $kind ->
        [full] The disk is full: make room on it,
        [not-allowed] This program may not write in the vault folder: check its permissions,
       *[other] Check the disk,
    } then try again.
grant-bad-expiry = `{ $value }` is not a time this understands. Give a length like 30m, 12h, 7d or 2w, or a UTC date like 2026-12-01T17:00Z.
grant-too-short = A share must last at least 5 minutes, so it can reach the relay and be used; the safe choice is a short time, like 24h.
grant-passed = That time has already passed. Give a time in the future, like 24h or 7d.
grant-too-long = A share can last at most { $longest }; choose a shorter time. You can always share again later.

## vault agency redeem

redeem-not-genuine = The relay's answer did not check out: { $what }. Do not use any of it; ask the person who shared it to share again.
redeem-stdin-unreadable = Could not read the link from standard input. Give the link as an argument instead.
redeem-stdin-too-long = Standard input holds more than { $max } bytes, far more than a share link, so it was not read. Give just the link.
redeem-stdin-not-text = Standard input is not text, so it holds no share link. Give just the link.
redeem-no-link = Give the share link, or --image PICTURE (a PNG or JPEG photo or screenshot of the code).
redeem-bad-link = That is not a usable share link: { $reason }.
redeem-no-free-name = Could not find a free file name for { $field } in { $folder }. Give another folder with --out FOLDER.
redeem-out-is-file = { $path } is a file, not a folder. Give a folder for the documents.
redeem-relay-first-time = This folder now remembers this relay's key ({ $relay_id }) and will warn you if it ever changes.
redeem-relay-key-changed = Warning: the relay at { $origin } now signs with a different key ({ $relay_id }) than the first time this folder used it; what you received is still exactly what the person who shared it signed, but ask the relay's operator whether they changed its key, and if they did, add --relay-key { $relay_id } the next time you open a share there.
redeem-relay-key-confirmed = This folder now remembers the relay's new key ({ $relay_id }), as you confirmed.
redeem-relay-key-not-given = Warning: the relay signs with { $relay_id }, not the key you gave with --relay-key; what you received is still exactly what the person who shared it signed, but check the key with the relay's operator before you give it again.
redeem-relay-key-not-kept = This folder could not remember the relay's key this time; what you received is not affected.
redeem-relay-key-bad = --relay-key needs a relay's id (relay1…), exactly as the relay's operator gives it; check it and try again.
# Fills "so { $what } is unknown" in the relay's connection messages.
redeem-what-opened = whether this share can be opened
# After "FIELD: " in the list of what was received.
redeem-document-saved = document, { $size } bytes, saved as { $path }
redeem-verified =
    Verified: signed by the sender known to this agency as
    {"  "}{ $issuer }
    Purpose: "{ $purpose }"
    Valid until: { $until } (use { $use_number } of { $max_uses })

    What the sender agreed to, in the words they saw:
    { $consent_text }
    Use this only for the stated purpose. The sender can withdraw it at any time.

## vault log

log-memory-damaged = What this vault remembers about the relay is damaged.
log-not-saved = Could not save the log summary.
# $what is one of the log-… reasons below, or what the check found.
log-tampered = Warning: { $what } Do not trust this relay's history. Your vault is safe; tell your advocate or the relay's operator.
log-no-relay-id = the relay did not say who it is.
log-relay-key-changed = this relay now signs with a different key than the first time you used it.
log-history-unreadable = the history could not be read.
log-summary-unreadable = the history's summary could not be read.
log-signature-unreadable = the history's signature could not be read.
# Who acted, inside the lines below (the first letter of a line is made capital).
log-someone = someone holding the code
log-anyone = anyone holding the code
log-the-agency = the agency { $agency }
log-an-agency-cap = An agency
log-the-agency-cap = The agency { $agency }
log-an-advocate = an advocate
log-shared = { $count ->
        [one] You shared { $share } with { $to }, until { $until }, for up to 1 use.
       *[other] You shared { $share } with { $to }, until { $until }, for up to { $count } uses.
    }
log-opened = Share { $share } was opened by { $by } (use { $use_number }).
log-clock-refused = { $by_cap } asked to open share { $share }, but was refused because that computer's clock is wrong. No use was counted; it can try again once its clock is right.
# $reason is the relay's refusal (refusal-…).
log-refused = { $by } tried to open share { $share } and was refused: { $reason }
log-advocate-withdrew = Your advocate ({ $advocate }) withdrew share { $share }.
log-an-advocate-withdrew = An advocate withdrew share { $share }.
log-you-withdrew = You withdrew share { $share }.
log-other-key-withdrew = Share { $share } was withdrawn by a key that is not yours.
log-delegated = You allowed { $advocate } to act for you until { $until }.
log-undelegated = You removed the permission of { $advocate }.
# Fills "so { $what } is unknown" in the relay's connection messages.
log-what-history = your history
log-first-time = This is the first time this vault reads this relay's history. From now on it remembers the relay's key ({ $relay_id }) and warns you if history is ever changed.
log-empty = Nothing has happened with your shares yet.
log-checked = History checked: { $count ->
        [one] 1 entry
       *[other] { $count } entries
    }, signed by the relay{ $kept ->
        [yes] , and it still holds everything you saw before
       *[no] {""}
    }.

## vault advocate shares, revoke, clients

# A time, and how long until it comes.
advocate-ends-in = { $at } (in { $span })
advocate-whom-unknown = the person who made this share
# $done is advocate-done-… below.
advocate-permission-ended = Your permission to act for { $whom } ended on { $ended }, so { $done }. Ask them to give you permission again (vault delegate), or to do it themselves (vault revoke --all withdraws all their shares).
advocate-no-permission = You have no permission from { $whom } to act for them, so { $done }. Check the id, and ask them to give you permission (vault delegate with your id from "vault advocate id"), or to do it themselves (vault revoke --all withdraws all their shares).
advocate-done-not-listed = their shares cannot be listed, and nothing was withdrawn
advocate-done-nothing-withdrawn = nothing was withdrawn: every share is as it was
# Fills "so { $what } is unknown" in the relay's connection messages.
advocate-what-list = the list of shares
advocate-what-withdrawn = whether anything was withdrawn
advocate-what-token = which share that token id names
advocate-what-clients = who has given you permission
advocate-no-shares = This person has no shares at the relay.
advocate-permission-ending = Your permission to act for this person ends on { $until }. After that you cannot list or withdraw their shares: if they still want your help, ask them to give you permission again before then.
# One line of `vault advocate shares`; $status is the relay's word (live, expired, …).
advocate-share-line = { $token_id }  { $status }  used { $uses } of { $max_uses }  until { $until }  to { $to }
advocate-person-not-token = That is a person's id, not a share's token id. To withdraw all of their shares, give it with --all; to withdraw one, give its token id from `vault advocate shares`.
advocate-bad-token-id = `{ $value }` is not a token id. Give the share's token id from `vault advocate shares` (at least its first 8 characters, 0-9 and a-f).
advocate-no-such-token = None of the shares you can see starts with that token id, so nothing was withdrawn. Run `vault advocate shares` with the person's contact name or id to see their shares.
advocate-some-ended = Your permission from { $count ->
        [one] 1 person
       *[other] { $count } people
    } has ended, so their shares were not searched; `vault advocate clients` lists who and when.
advocate-ambiguous = More than one share starts with that, so nothing was withdrawn. Give more of the token id; these match:
advocate-match-line = { $token_id }  of { $whom }
advocate-revoke-needs = Give a token id, or --all SURVIVOR_ID.
advocate-tell-them = Let the person know it is done.
advocate-no-clients = Nobody has given you permission to act for them at this relay. The person does that with "vault delegate" and your id ("vault advocate id").
advocate-client-ended = ended on { $at }
advocate-client-ends-soon = until { $until } (ends soon)
advocate-client-until = until { $until }

## Every command (vault-cli/src/cmd/mod.rs)

cmd-print-failed = Could not print the result, so it may not all be shown. Check where the output goes, then run the command again to see it.
cmd-bad-field = `{ $value }` is not a usable field name: { $reason }.

## Talking to the relay (vault-cli client.rs). $what is a phrase from the
## command ("whether this share can be opened"); the exit code is 10.

relay-unreachable = Could not reach the relay at { $origin }, so nothing was sent. Check the address and the connection, then try again.
relay-lost = The connection to the relay at { $origin } broke before its answer came, so { $what } is unknown. Check your connection, then try again.
relay-timeout = The relay at { $origin } did not answer within { $seconds } seconds, so { $what } is unknown. Check your internet connection, then try again.
relay-tls = Could not make a secure connection to the relay at { $origin }, so nothing was sent. Check the relay address; if it is right, tell the relay's operator.
relay-answer-too-large = The relay at { $origin } sent an answer larger than any real answer ({ $mib } MiB), so it was not read and { $what } is unknown. Check the relay address; if it is right, tell the relay's operator.
relay-trouble = The relay at { $origin } is having trouble (HTTP status { $status }), so { $what } is unknown. Try again in a few minutes.
relay-not-understood-status = The relay at { $origin } gave an answer this program does not understand (HTTP status { $status }), so { $what } is unknown. Check the relay address, then try again.
relay-not-understood = The relay at { $origin } gave an answer this program does not understand, so { $what } is unknown. Check the relay address, then try again.
relay-redirect = The relay at { $origin } answered with a redirect to { $to }, which this program never follows, so nothing was sent there and { $what } is unknown. The relay address may be wrong: check it, then try again.
relay-no-random = This computer's random number generator failed, so nothing was sent. Please try again.
permission-ended-on = Your permission to act for this person ended on { $ended }, so nothing was done. Ask them to give you permission again (vault delegate), or to act themselves.
permission-none = You have no permission to act for this person, so nothing was done. Ask them to give you permission (vault delegate), or to act themselves.

## Backups (vault_core::backup)

backup-not-a-backup = this file is not a backup of a vault; choose the file that was saved as a backup (its name ends in .backup)
backup-newer = this backup was made by a newer version of this program; update this program, then import it again
backup-wrong-passphrase = the passphrase did not open this backup; a backup opens with the passphrase the vault had when the backup was made
backup-truncated = this backup is incomplete, perhaps cut short while copying, so nothing was imported; copy it again from where it was kept
backup-damaged = this backup is damaged or was changed, so nothing was imported; use another copy of it
backup-not-empty = there is already a vault here, so nothing was imported
backup-other-role = this backup holds the keys of { $found }, not a vault of your own, so nothing was imported
backup-vault-damaged = some saved information cannot be read, so no backup was made; find and remove what is damaged (`vault check --repair`), then try again
backup-read-failed = the backup could not be read from where it is kept, so nothing was imported; check the disk or copy it again
backup-write-failed = the backup could not be written, so no backup was made; check there is space where it goes, then try again

## vault export, vault import

export-file-exists = { $path } already exists, so no backup was made; choose a new file name, like folio-2026-12-05.backup.
export-saved =
    Saved { $records ->
        [one] 1 piece of information
       *[other] { $records } pieces of information
    } and { $documents ->
        [one] 1 document
       *[other] { $documents } documents
    }, with your shares, contacts and helpers, in { $path } ({ $size }).
    It opens only with this vault's passphrase. Keep it somewhere safe, away from this device: a USB stick, or storage only you can reach.
import-vault-exists = There is already a vault in { $folder }, so nothing was imported: a backup never replaces a vault or mixes with one. To keep both, import into a new folder: vault --vault NEW-FOLDER import { $file }
import-try-again = That passphrase did not open the backup. Please type it again.
import-last-wrong = That passphrase did not open the backup either ({ $tries } tries), so nothing was imported. A backup opens with the passphrase the vault had when the backup was made. Check that Caps Lock is off and that the keyboard is set to the language you used then, and run the command again.
import-wrong-passphrase = The passphrase did not open the backup { $file }, so nothing was imported. A backup opens with the passphrase the vault had when the backup was made.
import-bad-file = Could not import { $file }: { $reason }.
import-done =
    Imported { $records ->
        [one] 1 piece of information
       *[other] { $records } pieces of information
    } and { $documents ->
        [one] 1 document
       *[other] { $documents } documents
    }, with shares, contacts and helpers, into { $folder }.
    The vault opens with the passphrase it had when the backup was made.
## The survivor's app, Folio (web/app/index.html and app.js; docs/app-worker.md).
## Read on a phone that someone else may see: calm, short, no alarm for
## normal states. "Folio" is the app's name in every language.

app-name = Folio
app-quick-exit = Exit
app-loading = Opening…
app-nowasm-title = Folio cannot open in this browser
app-nowasm = Folio needs WebAssembly, which this browser has turned off. Allow it for this site, or use another browser.
app-worker-failed = Folio stopped working in this tab. Reload the page to start again.
app-problem-generic = Something went wrong and nothing was changed. Please try again.

app-first-title = Set up Folio
app-first-intro = Folio keeps your information on this device, locked with a passphrase you choose. You decide what to share, with whom, and for how long.
app-first-no-recovery = Nobody can recover a lost passphrase: not the people who run the relay, not anyone. A backup file (made in Settings) helps you move to another device, and it opens with the same passphrase.
app-first-restore = If you made a backup file before, you can start from it.
app-private-mode = This is a private window, so this browser will keep nothing: what you add here is gone when the window closes. To keep it, open Folio in a normal window.
app-passphrase = Passphrase
app-passphrase-again = The same passphrase again
app-passphrase-help = Several words that only you would put together are easy to remember and hard to guess.
app-passphrase-empty = Type the passphrase first.
app-passphrase-mismatch = The two passphrases are not the same. Type the second one again.
app-create = Create
app-creating = Setting up… This takes a few seconds.
app-have-backup = Start from a backup file

app-keep-title = Keeping your information on this device
app-keep-intro = A browser may delete a site's data when space runs low. You can ask this browser to keep Folio's data.
app-keep-ask = Ask the browser to keep it
app-keep-yes = This browser will keep Folio's data unless someone clears it.
app-keep-no = This browser did not promise to keep Folio's data, so it may delete it when space runs low or after weeks without use. Adding Folio to your home screen and making backup files (in Settings) both help.
app-continue = Continue

app-unlock-title = Open Folio
app-open = Open
app-opening = Opening… This takes a few seconds.
app-locked = Folio is locked.
app-locked-idle = Folio locked itself after { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } without use.

app-home-title = What would you like to do?
app-nav-info = My information
app-nav-share = Share
app-nav-shares = My shares
app-nav-history = History
app-nav-helpers = Helpers
app-nav-advocate = Acting for someone
app-nav-settings = Settings
app-lock = Lock now
app-back = Back to the menu
app-go-back = Go back
app-backup-reminder = Something changed since your last backup file. A new one keeps it safe if this browser loses its data.
app-make-backup = Make a backup file
app-yes = Yes
app-no = No, go back
app-save = Save
app-saved = Saved.
app-preview = Preview
app-change = Change something

app-info-title = My information
app-info-empty = Nothing here yet. You can add text or a document below.
app-info-damaged = Some items could not be read, so they are not shown. A backup file made earlier may still hold them.
app-kind-text = Text
app-kind-document = Document
# $kind is app-kind-text or app-kind-document; $size and $updated are formatted.
app-entry-detail = { $kind }, { $size }, changed { $updated }
app-edit = Edit
app-remove = Remove
app-download = Download
app-remove-confirm = Remove “{ $name }” from this device? This cannot be undone.
app-removed = Removed.
app-add-text-title = Add or change text
app-field-name = Name
app-name-help = Small letters, digits, dashes and underscores, starting with a letter; a dot groups names, for example medical.allergies.
app-field-value = Text
app-need-name = Give it a name first.
app-add-document-title = Add a document
app-document-name = Name of the document
app-take-photo = Take a photo
app-choose-file = Choose a file
app-add-document = Add
app-need-file = Take a photo or choose a file first.
app-document-added = Added ({ $size }).

app-share-title = Share
app-share-fields = What to share
app-share-no-fields = There is nothing to share yet. Add something in My information first.
app-share-to = Who can open it
app-share-to-contact = A saved agency
app-share-to-id = An agency's id
app-share-to-anyone = Anyone with the code
app-share-contact = Saved agency
app-share-choose-contact = Choose one
app-share-id = Agency id
app-share-id-help = Paste the id the agency gave you, or scan the agency's code.
app-share-save-as = Save this agency under a name (you can leave this empty)
app-scan = Scan the agency's code
app-scan-stop = Stop scanning
app-scan-unavailable = This browser cannot scan codes. Ask the agency for its id as text and paste it.
app-scan-no-camera = The camera could not be used. Paste the agency's id instead.
app-scan-found = The code was read. Check the id, then continue.
app-share-purpose = What it is for
app-share-hours = Time limit, in hours
app-share-uses = How many times it can be opened
app-share-pick-field = Choose at least one thing to share.
app-share-pick-who = Choose who can open it.
app-share-need-purpose = Say in a few words what it is for.
app-share-need-number = Use whole numbers of 1 or more.
app-preview-title = Check before you share
app-preview-leaving = Exactly what will be shared
app-agree-share = Share this
app-sharing = Sharing…
app-qr-title = Show this code
app-qr-alt = The code to scan
app-qr-link = Or send this link:
app-qr-detail = Until { $until }; it can be opened { $uses ->
        [one] once
       *[other] { $uses } times
    }.
app-done = Done
app-qr-done = The code is cleared from the screen. You can see this share in My shares.

app-shares-title = My shares
app-shares-empty = There are no shares.
app-shares-offline = The relay could not be reached, so uses and status may be out of date.
app-share-who-anyone = anyone with the code
app-share-line-purpose = For: { $purpose }
app-share-line-to = Who: { $who }
app-share-line-fields = What: { $fields }
app-share-line-until = Until { $until }
app-share-line-uses = Uses left: { $left } of { $max }
app-withdraw = Withdraw
app-withdraw-all = Withdraw all
app-withdraw-confirm = Withdraw this share? Nobody will be able to open it after this.
app-withdraw-all-confirm = Withdraw every share? Nobody will be able to open any of them after this.

app-history-title = History
app-history-empty = Nothing has happened yet.
app-history-verified = This history was checked against the relay's signature.

app-helpers-title = Helpers
app-helpers-intro = A helper is an advocate you trust. You can let them see your shares and withdraw them for you, for as many days as you choose, and end that at any time.
app-helpers-list = Who can act for you
app-helpers-empty = Nobody can act for you.
app-helper-until = until { $until }
app-end = End
app-end-confirm = End this helper's permission now?
app-helper-add-title = Let a helper act for you
app-helper-who = The helper's saved name or id
app-helper-days = For how many days
app-helper-preview-title = Check before you agree
app-agree-helper = Agree

app-advocate-title = Acting for someone
app-advocate-intro = If you are an advocate, load your advocate key file here to see and withdraw the shares of people who gave you permission.
app-advocate-key = Advocate key file
app-advocate-key-passphrase = The key file's passphrase
app-advocate-load = Load the key
app-need-key-file = Choose the key file first.
app-not-key-file = This file is too large to be an advocate key file. Choose the file made by "vault advocate export-key".
app-advocate-loaded = The key is loaded and kept locked in Folio.
app-advocate-no-key = No advocate key is loaded in Folio yet. Load the key file made with "vault advocate export-key" first.
app-advocate-clients = People you can act for
app-advocate-no-clients = Nobody has given you permission yet, or no key is loaded.
app-advocate-show = Show shares
app-advocate-shares-of = Shares of { $name }
app-advocate-withdraw-all-confirm = Withdraw every share of { $name }? Nobody will be able to open any of them after this.

app-settings-title = Settings
app-relay = Relay address
app-autolock = Lock after this many minutes without use
app-autolock-range = Choose a whole number of minutes from 1 to 60.
app-settings-saved = Settings saved.
app-language = Language
app-language-en = English
app-language-es = Español
app-backup-title = Backup file
app-backup-intro = A backup file holds everything in Folio, locked with your passphrase. Keep it somewhere safe, away from this device.
app-backup-last = Last backup file: { $when }
app-backup-never = No backup file made yet.
app-backup-export = Make a backup file
app-backup-made = The backup file is ready. Keep it somewhere safe.
app-backup-import-title = Restore from a backup file
app-backup-import-intro = Choose the backup file and type the passphrase it was made with.
app-backup-file = Backup file
app-backup-passphrase = The backup's passphrase
app-need-backup-file = Choose the backup file first.
app-backup-import = Restore
app-backup-replace-confirm = This replaces everything in Folio on this device with the backup file. Continue?
app-backup-restored = Restored from the backup file.
app-backup-restored-open = Restored from the backup file. Open it with the backup's passphrase.
## The app's engine (vault-web `app`, web/app/worker.js): each problem the
## page relies on (docs/app-worker.md) has a short title, what it means
## (.message) and what to do next (.next). Calm words: these are normal
## states, not alarms.

app-problem-wrong-passphrase = That passphrase did not open Folio
    .message = Nothing was changed.
    .next = Check that Caps Lock is off and the keyboard language is the one you used, then try again.
app-problem-locked = Folio is locked
    .message = It was locked, so nothing was changed.
    .next = Unlock it with your passphrase, then try again.
app-problem-no-vault = There is nothing saved on this device yet
    .message = No Folio was found in this browser.
    .next = Create one, or import a backup.
app-problem-exists = Folio already exists on this device
    .message = A Folio is already saved in this browser, so nothing was changed.
    .next = Unlock it with your passphrase.
app-problem-bad-path = That name cannot be used
    .message = A name is short words in lower case, joined by dots, like needs.housing.
    .next = Change the name, then save again.
app-problem-bad-input = Something needs changing first
    .message = Part of what was entered cannot be used, so nothing was changed.
    .next = Check what you entered, then try again.
app-problem-relay-unreachable = The relay could not be reached
    .message = Nothing was sent.
    .next = Check the connection and the relay's address in Settings, then try again.
app-problem-relay-elsewhere = Folio works with the relay it was opened from
    .message = This copy of Folio can only talk to the relay it was opened from, so the address was not changed.
    .next = To use another relay, open Folio from that relay's address instead.
app-problem-refused = The relay said no
    .message = The relay refused this, so nothing was changed.
    .next = Read what it said, then try again or choose differently.
app-problem-storage = This browser did not save the change
    .message = The browser refused to store it, so nothing was changed.
    .next = Check that the device has free space and that the browser may keep data for this site, then try again.
app-problem-open-elsewhere = Folio is open somewhere else
    .message = It is open in another tab or window of this browser, so it was not opened here.
    .next = Close it there (or lock it), then try again.
app-problem-unknown = Something did not work
    .message = It is not known whether this was done.
    .next = Try again. If it keeps happening, make a backup and tell the relay's operator.

app-not-text = { $field } is a document, not text. Download it instead.
app-bad-hours = Choose how long the share works, in whole hours, from 1 to { $max_hours }.
app-not-the-relay = The answer (HTTP status { $status }) did not come from a relay, so it is not known whether this was done. Check the relay's address in Settings, then try again.
# A share's status in the app's list ($status: the relay's word, or why
# there is none).
app-share-status = { $status ->
        [active] Can be used
        [expired] Time is up
        [used_up] All uses made
        [revoked] Withdrawn
        [not_at_the_relay] Not at the relay
        [at_another_relay] At another relay
       *[unknown] Not known right now (the relay was not reached)
    }
app-bad-days = Choose how long the permission lasts, in whole days, from 1 to { $max_days }.
app-helper-added = { $advocate } can now act for you until { $until }: see your shares and withdraw them, never what they hold. You can end this at any time under Helpers.
# A hint while a new passphrase is typed ($score 0 to 4; vault_core::strength).
app-hint = { $score ->
        [0] Use at least { $min_len } characters.
        [1] Easy to guess. Add a few unrelated words.
        [2] Could be stronger. Another unrelated word or two would help.
        [3] Good. Make sure you can remember it.
       *[4] Strong. Make sure you can remember it: nobody can recover it.
    }
