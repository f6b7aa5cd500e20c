//! A rough strength hint for a new passphrase, shown while it is typed
//! (the app's first run). A hint only: nothing is refused for it except
//! being shorter than [`MIN_PASSPHRASE_CHARS`], the rule `vault init`
//! keeps too. It rewards length and several unrelated words, and counts
//! runs (`aaaa`, `1234`, `abcd`) and repeated pieces as one character, so
//! `12345678` and `passwordpassword` score low.

use crate::vault::MIN_PASSPHRASE_CHARS;

/// The hint: 0 (too short) to 4 (strong).
pub fn score(passphrase: &str) -> u8 {
    let chars: Vec<char> = passphrase.chars().collect();
    if chars.len() < MIN_PASSPHRASE_CHARS {
        return 0;
    }
    // Characters that add something: not the next step of a run (same,
    // +1 or -1 from the one before), not the end of a pair of characters
    // already seen (a repeated piece).
    let mut useful = 0usize;
    for (i, c) in chars.iter().enumerate() {
        let run = i > 0 && ((*c as i64) - (chars[i - 1] as i64)).abs() <= 1;
        let repeat = i > 1 && chars[..i - 1].windows(2).any(|w| w == &chars[i - 1..=i]);
        if !run && !repeat {
            useful += 1;
        }
    }
    let mut pool = 0u32;
    if chars.iter().any(|c| c.is_ascii_lowercase()) {
        pool += 26;
    }
    if chars.iter().any(|c| c.is_ascii_uppercase()) {
        pool += 26;
    }
    if chars.iter().any(|c| c.is_ascii_digit()) {
        pool += 10;
    }
    if chars.iter().any(|c| !c.is_ascii_alphanumeric()) {
        pool += 33;
    }
    let bits = useful as f64 * f64::from(pool.max(10)).log2();
    let words = passphrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .count();
    let by_bits = match bits {
        b if b < 36.0 => 1,
        b if b < 56.0 => 2,
        b if b < 76.0 => 3,
        _ => 4,
    };
    // Four or more words of three letters or more: a passphrase as the
    // prompt suggests ("a few unrelated words work well").
    if words >= 4 {
        by_bits.max(3)
    } else {
        by_bits
    }
}

/// The hint in words (`app-hint` in the catalogue).
pub fn words(passphrase: &str) -> String {
    let score = score(passphrase);
    crate::msg!(
        "app-hint",
        score = u64::from(score),
        min_len = MIN_PASSPHRASE_CHARS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_short_runs_and_repeats_low_and_several_words_high() {
        assert_eq!(score("short"), 0);
        assert_eq!(score("12345678"), 1);
        assert_eq!(score("aaaaaaaaaaaa"), 1);
        assert!(
            score("passwordpassword") <= 2,
            "{}",
            score("passwordpassword")
        );
        assert!(score("lantern orchard velvet river") >= 3);
        assert_eq!(score("Lantern-Orchard-Velvet-River-93!"), 4);
    }

    #[test]
    fn says_every_score_from_the_catalogue() {
        for p in [
            "",
            "12345678",
            "lantern orchard",
            "lantern orchard velvet river",
        ] {
            let w = words(p);
            assert!(!w.contains('{'), "{w}");
        }
    }
}
