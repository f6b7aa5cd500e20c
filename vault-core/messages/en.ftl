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
    .message = The file is not an agency key file, or it is damaged.
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
