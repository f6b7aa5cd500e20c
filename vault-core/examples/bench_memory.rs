//! Does a document's size change how much memory the vault needs?
//!
//! Creates a vault (in a temporary directory, or `--dir`), streams an
//! `--size` MiB document into it from a reader that makes the bytes up as
//! it goes, closes and reopens the vault, reads the document back into a
//! writer that regenerates the expected bytes and compares them, and
//! removes it. The document is never whole in memory on either side, so
//! whatever the process holds is the vault's own doing.
//!
//! After each phase it prints the wall time, the rate, the resident set
//! now (`VmRSS`) and the peak during that phase (`VmHWM`, reset between
//! phases through `/proc/self/clear_refs`, so Argon2id's 64 MiB at create
//! and open does not hide what the document phases use), then the size of
//! the whole vault folder on disk (sled store and document files) after the
//! put and after the remove (and after one more open and close, in case
//! sled reclaims space then).
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench \
//!     cargo run --release --example bench_memory -p vault-core -- --size 1024
//! ```
//!
//! Linux only for the memory figures (they come from `/proc/self/status`);
//! elsewhere they print as `?`.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program: its output is the result"
)]

use std::error::Error;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vault_core::{FieldPath, KdfParams, Role, Vault};

const MIB: u64 = 1024 * 1024;
const PASSPHRASE: &[u8] = b"correct horse battery staple";
const USAGE: &str = "\
usage: bench_memory [--size MIB] [--dir DIR] [--kdf default|insecure]
                    [--keep-document | --read-existing]

  --size MIB         document size in MiB (default 1024)
  --dir DIR          make the vault in DIR (new or empty) and keep it;
                     by default a temporary directory is used and removed
  --kdf K            Argon2id parameters: `default` (KdfParams::DEFAULT,
                     the default) or `insecure` (tiny, to leave it out)
  --keep-document    do not remove the document at the end (with --dir,
                     so that a later --read-existing run can read it)
  --read-existing    only open the vault in --dir and read back the
                     --size MiB document an earlier run left there, as a
                     separate process (like `vault get`) would";

#[derive(Debug)]
struct Args {
    size_mib: u64,
    dir: Option<PathBuf>,
    kdf: KdfParams,
    keep_document: bool,
    read_existing: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        size_mib: 1024,
        dir: None,
        kdf: KdfParams::DEFAULT,
        keep_document: false,
        read_existing: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--size" => {
                args.size_mib = value()?
                    .parse()
                    .map_err(|e| format!("--size: {e}\n{USAGE}"))?;
            }
            "--dir" => args.dir = Some(PathBuf::from(value()?)),
            "--kdf" => {
                args.kdf = match value()?.as_str() {
                    "default" => KdfParams::DEFAULT,
                    "insecure" => KdfParams::INSECURE_FOR_TESTS,
                    other => return Err(format!("--kdf: unknown value {other}\n{USAGE}")),
                }
            }
            "--keep-document" => args.keep_document = true,
            "--read-existing" => args.read_existing = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if args.read_existing && args.dir.is_none() {
        return Err(format!("--read-existing needs --dir\n{USAGE}"));
    }
    Ok(args)
}

/// splitmix64: a cheap, well-mixed function of the word index, so any
/// byte of the document can be regenerated from its offset alone.
fn splitmix64(i: u64) -> u64 {
    let mut z = i.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Fills `out` with the document's bytes starting at offset `pos`.
fn fill_at(mut pos: u64, out: &mut [u8]) {
    let mut i = 0;
    while i < out.len() {
        let word = splitmix64(pos / 8).to_le_bytes();
        let off = (pos % 8) as usize;
        let take = (8 - off).min(out.len() - i);
        out[i..i + take].copy_from_slice(&word[off..off + take]);
        i += take;
        pos += take as u64;
    }
}

/// The document, made up on the fly.
#[derive(Debug)]
struct Generated {
    pos: u64,
    len: u64,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len - self.pos;
        let n = usize::try_from(left).map_or(buf.len(), |left| left.min(buf.len()));
        fill_at(self.pos, &mut buf[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

/// Counts what is written and checks it against the document.
#[derive(Debug, Default)]
struct Verifier {
    pos: u64,
    expected: Vec<u8>,
    first_mismatch: Option<u64>,
}

impl Write for Verifier {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.expected.resize(buf.len(), 0);
        fill_at(self.pos, &mut self.expected);
        if self.first_mismatch.is_none() && self.expected != buf {
            let at = buf.iter().zip(&self.expected).take_while(|(a, b)| a == b);
            self.first_mismatch = Some(self.pos + at.count() as u64);
        }
        self.pos += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A `/proc/self/status` field in KiB, if the platform has one.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0). False if it could not.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0))
}

/// Apparent and allocated bytes of everything under `dir`.
fn disk_usage(dir: &Path) -> io::Result<(u64, u64)> {
    let mut apparent = 0;
    let mut allocated = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // `file_type` does not follow symlinks, so this never loops.
        if entry.file_type()?.is_dir() {
            let (a, b) = disk_usage(&entry.path())?;
            apparent += a;
            allocated += b;
            continue;
        }
        let meta = entry.metadata()?;
        apparent += meta.len();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            allocated += meta.blocks() * 512;
        }
    }
    Ok((apparent, allocated))
}

/// Prints one phase's figures and starts the next phase's peak afresh.
#[derive(Debug)]
struct Report {
    peak_resets: bool,
    overall_peak_kib: u64,
}

impl Report {
    fn new() -> Self {
        let peak_resets = reset_peak();
        println!(
            "{:<28} {:>9} {:>10} {:>10} {:>14}",
            "phase", "wall s", "MiB/s", "RSS MiB", "peak RSS MiB"
        );
        Self {
            peak_resets,
            overall_peak_kib: status_kib("VmHWM:").unwrap_or(0),
        }
    }

    fn phase(&mut self, name: &str, took: Duration, bytes: Option<u64>) {
        let peak = status_kib("VmHWM:");
        self.overall_peak_kib = self.overall_peak_kib.max(peak.unwrap_or(0));
        let rate = bytes.map_or("-".to_owned(), |b| {
            format!("{:.1}", b as f64 / MIB as f64 / took.as_secs_f64())
        });
        println!(
            "{:<28} {:>9.3} {:>10} {:>10} {:>14}",
            name,
            took.as_secs_f64(),
            rate,
            mib(status_kib("VmRSS:")),
            mib(peak)
        );
        if self.peak_resets {
            reset_peak();
        }
    }
}

fn print_vault_size(dir: &Path, doc_bytes: u64, when: &str) -> io::Result<()> {
    let (apparent, allocated) = disk_usage(dir)?;
    println!(
        "vault folder after {when}: {:.1} MiB apparent, {:.1} MiB allocated \
         ({:.2}x the document)",
        apparent as f64 / MIB as f64,
        allocated as f64 / MIB as f64,
        allocated as f64 / doc_bytes.max(1) as f64
    );
    Ok(())
}

fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let len = args.size_mib * MIB;
    let temp;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            temp = tempfile::tempdir()?;
            temp.path().join("vault")
        }
    };
    let path = FieldPath::parse("documents.generated").expect("a valid field path");
    if args.read_existing {
        println!(
            "document {} MiB, reading the existing vault in {}",
            args.size_mib,
            dir.display()
        );
    } else {
        println!(
            "document {} MiB, new vault in {}, Argon2id m={} KiB t={} p={}",
            args.size_mib,
            dir.display(),
            args.kdf.memory_kib,
            args.kdf.iterations,
            args.kdf.parallelism
        );
    }

    let mut report = Report::new();
    if !report.peak_resets {
        println!("(could not reset VmHWM: peaks are cumulative since start)");
    }

    // The generator alone, so its share of the put time is known.
    let start = Instant::now();
    let n = io::copy(&mut Generated { pos: 0, len }, &mut io::sink())?;
    assert_eq!(n, len, "the generator yields exactly the document");
    report.phase("generate only (no vault)", start.elapsed(), Some(len));

    if !args.read_existing {
        let start = Instant::now();
        let vault = Vault::create(&dir, PASSPHRASE, Role::Survivor, args.kdf)?;
        report.phase("create (Argon2id)", start.elapsed(), None);

        let start = Instant::now();
        let stored = vault.put_document(&path, &mut Generated { pos: 0, len }, &mut |_| {})?;
        report.phase("put_document", start.elapsed(), Some(len));
        if stored != len {
            return Err(format!("stored {stored} bytes, expected {len}").into());
        }
        print_vault_size(&dir, len, "put")?;

        let start = Instant::now();
        drop(vault);
        report.phase("close", start.elapsed(), None);
    }

    let start = Instant::now();
    let vault = Vault::open(&dir, PASSPHRASE)?;
    report.phase("open (Argon2id, sled)", start.elapsed(), None);

    let start = Instant::now();
    let mut sink = Verifier::default();
    let read = vault.read_document(&path, &mut sink, &mut |_| {})?;
    report.phase("read_document + verify", start.elapsed(), Some(len));
    if read != len || sink.pos != len {
        return Err(format!("read {read} bytes ({} written), expected {len}", sink.pos).into());
    }
    if let Some(at) = sink.first_mismatch {
        return Err(format!("the document read back differs from byte {at}").into());
    }

    if !args.keep_document && !args.read_existing {
        let start = Instant::now();
        vault.remove(&path)?;
        report.phase("remove", start.elapsed(), None);
        drop(vault);
        print_vault_size(&dir, len, "remove")?;
        // Does sled give the space back once it has had the chance?
        drop(Vault::open(&dir, PASSPHRASE)?);
        print_vault_size(&dir, len, "remove, reopen, close")?;
    }

    println!(
        "peak RSS over all phases: {} MiB; read back {len} bytes, all matching",
        mib(Some(report.overall_peak_kib))
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_memory: {e}");
            ExitCode::FAILURE
        }
    }
}
