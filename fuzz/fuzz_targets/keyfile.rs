//! Key file (agency or advocate, SVAK): `keyfile::open` and
//! `keyfile::open_advocate` with the passphrase of `keyfile_ok_agency`.
//! A file asking Argon2id for more than 1 MiB or 2 passes is skipped (the
//! bounds allow 128 MiB and 6 passes: slow, not wrong). Round trip: the
//! identity a file opens to is the vector's kind (agency or advocate).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::keyfile::{open, open_advocate, FILE_LEN};
use vault_core::Role;

fuzz_target!(|data: &[u8]| {
    if data.len() == FILE_LEN {
        let at = |i: usize| u32::from_le_bytes(data[i..i + 4].try_into().expect("4 bytes"));
        if at(5) > 1024 || at(9) > 2 {
            return;
        }
    }
    let pass = vault_fuzz::keyfile_passphrase();
    if let Ok(id) = open(data, pass) {
        assert_eq!(id.role(), Role::Agency);
    }
    if let Ok(id) = open_advocate(data, pass) {
        assert_eq!(id.role(), Role::Advocate);
    }
});
