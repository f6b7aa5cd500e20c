//! The relay's write-ahead journal in front of its sled store.
//!
//! sled 0.34 makes every atomic batch expensive (it rolls and writes its
//! log buffer around each one, under a global lock: about 60 µs and
//! 3 KiB even for one key) and its `flush` writes those buffers out
//! before the `fdatasync` that makes them durable. Paid once per decision
//! (or per group of decisions on different survivors' records), that was
//! most of a durable redemption. [`Journaled`] moves both off the
//! answer's path, and keeps sled as the relay's store:
//!
//! - **A decision's writes** are appended, as one checksummed record, to
//!   a journal file, and kept in memory (an overlay read before sled).
//!   Nothing is written to sled.
//! - **[`Store::flush`]** writes the records appended since the last one
//!   to the journal file with one `write` and `fdatasync`s it: group
//!   commit shares that one sync between every decision waiting.
//! - **A checkpoint**, on the journal's own thread once the file holds
//!   [`CHECKPOINT_BYTES`], starts a new journal file, applies what the old
//!   one's records wrote (each key at its last value) to sled, flushes
//!   sled (with its `fdatasync`), and only then removes the old file.
//!   Until then, that overlay is still read before sled.
//! - **At start-up** ([`Journaled::open`]) every record in the journal
//!   files is applied to sled in the same way, in order, and sled is
//!   flushed before anything is served.
//!
//! Each write is a whole value (set or remove a key), so applying a record
//! sled already holds changes nothing; and sled is given a checkpoint's
//! writes only while the journal file holding them stays, until sled has
//! flushed them all. So whatever part of a checkpoint sled kept after a
//! crash, start-up applies the whole file again and every key ends at its
//! last value. Nothing here relies on sled recovering a prefix of its log
//! or keeping writes it was not told to flush.
//!
//! **The end of the journal.** Records are numbered one after another,
//! across files. Reading stops at the first record that is not whole (cut
//! short, failing its checksum, or not numbered next): a crash can leave
//! the records whose `fdatasync` never returned, which were never
//! answered, cut short or written back out of order, and what follows
//! such a record cannot be told from them. This is how PostgreSQL reads
//! its write-ahead log; a record made durable and damaged later by the
//! disk would end the journal there too, and the relay logs how many
//! bytes it did not read. A file that does not start as a journal file of
//! its number is refused, with what to do.
//!
//! **Files are filled with zeros when made** (the checkpoint size and a
//! quarter more), so that a record's `fdatasync` writes the record and not
//! the file's new length as well (which costs the file system a journal
//! commit of its own).
//!
//! **Failures stop the journal.** A write or sync that fails, or a
//! checkpoint that fails, makes every later call fail, and the relay's
//! group commit stops the relay (fail-stop; see `db::GroupCommit`).
//!
//! The format, in `DATA/journal/<20-digit number>`:
//!
//! ```text
//! file   = "SVRJRNL1" ‖ number: u64 LE ‖ record* ‖ zeros
//! record = len: u32 LE ‖ sum: SHA-256(len ‖ body)[..16] ‖ body (len bytes)
//! body   = seq: u64 LE ‖ count: u32 LE ‖ op*
//! op     = 0x01 ‖ klen: u32 LE ‖ key ‖ vlen: u32 LE ‖ value   (set)
//!        | 0x02 ‖ klen: u32 LE ‖ key                         (remove)
//! ```

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};
use vault_core::store::{Entry, Op, Store, StoreError};

/// The folder inside the data folder with the journal files.
pub const JOURNAL_DIR: &str = "journal";

/// A journal file this long is checkpointed into sled: big enough that a
/// checkpoint's batch is shared by thousands of decisions, small enough
/// that the overlay in memory and a start-up's replay stay small.
pub const CHECKPOINT_BYTES: u64 = 8 << 20;

/// What every journal file starts with (the format's name and version).
const MAGIC: &[u8; 8] = b"SVRJRNL1";
/// The magic and the file's number.
pub const HEADER: usize = 16;
/// A record's length and checksum.
const RECORD_HEAD: usize = 20;
/// Bytes of SHA-256 kept as a record's checksum (it finds torn and
/// damaged records; the journal is the relay's own, not an attacker's).
const SUM: usize = 16;
/// Largest record read back (a decision's writes are a few KiB; an
/// upload's record holds the token, at most 16 KiB).
const MAX_RECORD: u32 = 64 << 20;

const SET: u8 = 1;
const REMOVE: u8 = 2;

/// Writes not yet in sled: `None` is a removal.
type Layer = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// Records `ops` in `layer`, each key at its last value.
fn record(layer: &mut Layer, ops: Vec<Op>) {
    for op in ops {
        match op {
            Op::Insert(k, v) => layer.insert(k, Some(v)),
            Op::Remove(k) => layer.insert(k, None),
        };
    }
}

/// A layer's writes as ops, in key order.
fn ops_of(writes: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>) -> Vec<Op> {
    writes
        .into_iter()
        .map(|(k, v)| match v {
            Some(v) => Op::Insert(k, v),
            None => Op::Remove(k),
        })
        .collect()
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

fn file_name(number: u64) -> String {
    format!("{number:020}")
}

/// The journal's writes in memory, read before sled.
#[derive(Debug, Default)]
struct Layers {
    /// Writes of the current journal file.
    active: Layer,
    /// Writes of the file being checkpointed, until sled holds them.
    frozen: Option<Arc<Layer>>,
}

impl Layers {
    /// `key`'s value in the overlay: `Some(None)` if it is removed there,
    /// `None` if the overlay does not hold it.
    fn get(&self, key: &[u8]) -> Option<Option<Vec<u8>>> {
        if let Some(v) = self.active.get(key) {
            return Some(v.clone());
        }
        self.frozen.as_ref()?.get(key).cloned()
    }

    /// The overlay's writes under `prefix`, newest winning.
    fn under(&self, prefix: &[u8]) -> Layer {
        let mut out = Layer::new();
        let layers = self.frozen.as_deref().into_iter().chain([&self.active]);
        for layer in layers {
            let within = layer
                .range(prefix.to_vec()..)
                .take_while(|(k, _)| k.starts_with(prefix));
            for (k, v) in within {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

/// The journal file being appended to.
#[derive(Debug)]
struct Writer {
    file: Arc<File>,
    number: u64,
    /// The next record's number.
    seq: u64,
    /// Records appended since the last flush.
    pending: Vec<u8>,
    /// Bytes in the file, with `pending`.
    size: u64,
    /// The file before the last new one, if records written to it may not
    /// be synced yet (the next flush syncs it too).
    unsynced: Option<Arc<File>>,
}

#[derive(Debug)]
struct Shared<S> {
    base: S,
    dir: PathBuf,
    sync: bool,
    limit: u64,
    layers: RwLock<Layers>,
    writer: Mutex<Writer>,
    /// Why the journal stopped, once a write, sync or checkpoint failed.
    failed: Mutex<Option<String>>,
    /// Wakes the checkpoint thread: `true` once it should end.
    wake: Mutex<bool>,
    woken: Condvar,
    /// Checkpoints done (for tests and benchmarks).
    checkpoints: Mutex<u64>,
}

/// A [`Store`] whose writes go to a journal first and to `S` (sled) in
/// checkpoints: see the module's documentation.
#[derive(Debug)]
pub struct Journaled<S: Store + 'static> {
    shared: Arc<Shared<S>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every change under these locks is whole before the guard drops.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Appends `ops` as record number `seq` to `out` (see the module's
/// documentation for the format).
pub fn encode(seq: u64, ops: &[Op], out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; RECORD_HEAD]);
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&(ops.len() as u32).to_le_bytes());
    for op in ops {
        match op {
            Op::Insert(k, v) => {
                out.push(SET);
                out.extend_from_slice(&(k.len() as u32).to_le_bytes());
                out.extend_from_slice(k);
                out.extend_from_slice(&(v.len() as u32).to_le_bytes());
                out.extend_from_slice(v);
            }
            Op::Remove(k) => {
                out.push(REMOVE);
                out.extend_from_slice(&(k.len() as u32).to_le_bytes());
                out.extend_from_slice(k);
            }
        }
    }
    let len = (out.len() - start - RECORD_HEAD) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    let sum = checksum(len, &out[start + RECORD_HEAD..]);
    out[start + 4..start + RECORD_HEAD].copy_from_slice(&sum);
}

fn checksum(len: u32, body: &[u8]) -> [u8; SUM] {
    let mut h = Sha256::new();
    h.update(len.to_le_bytes());
    h.update(body);
    let mut sum = [0; SUM];
    sum.copy_from_slice(&h.finalize()[..SUM]);
    sum
}

/// Reads a little-endian `u32` at `*at`, moving past it.
fn take_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let b = bytes.get(*at..at.checked_add(4)?)?;
    *at += 4;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

fn take<'b>(bytes: &'b [u8], at: &mut usize, n: u32) -> Option<&'b [u8]> {
    let end = at.checked_add(n as usize)?;
    let b = bytes.get(*at..end)?;
    *at = end;
    Some(b)
}

/// A record's body: its number and ops (`None` if it is not one whole,
/// canonical body).
fn decode(body: &[u8]) -> Option<(u64, Vec<Op>)> {
    let seq = u64::from_le_bytes(body.get(..8)?.try_into().ok()?);
    let mut at = 8;
    let count = take_u32(body, &mut at)?;
    let mut ops = Vec::new();
    for _ in 0..count {
        let tag = *body.get(at)?;
        at += 1;
        let klen = take_u32(body, &mut at)?;
        let key = take(body, &mut at, klen)?.to_vec();
        ops.push(match tag {
            SET => {
                let vlen = take_u32(body, &mut at)?;
                Op::Insert(key, take(body, &mut at, vlen)?.to_vec())
            }
            REMOVE => Op::Remove(key),
            _ => return None,
        });
    }
    (at == body.len()).then_some((seq, ops))
}

/// What one journal file holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Read {
    /// Its whole records, in order: number and ops.
    pub records: Vec<(u64, Vec<Op>)>,
    /// Bytes after the last whole record that are not zeros (a write a
    /// crash interrupted, never answered; or damage).
    pub ignored: usize,
}

/// Reads a journal file's bytes: its whole records, numbered one after
/// another, up to the first that is not (see the module's documentation);
/// or why it is not a journal file of this number.
pub fn read(bytes: &[u8], number: u64) -> Result<Read, String> {
    let mut records: Vec<(u64, Vec<Op>)> = Vec::new();
    let end_at = |records, at: usize| {
        let rest = bytes.get(at..).unwrap_or_default();
        let ignored = rest.len() - rest.iter().rev().take_while(|b| **b == 0).count();
        Ok(Read { records, ignored })
    };
    if bytes.len() < HEADER {
        // Cut short while it was made: nothing in it was ever answered.
        return end_at(records, 0);
    }
    if &bytes[..8] != MAGIC || bytes[8..HEADER] != number.to_le_bytes() {
        return Err("it does not start as a journal file of its number".into());
    }
    let mut at = HEADER;
    loop {
        let Some(head) = bytes.get(at..at + RECORD_HEAD) else {
            return end_at(records, at);
        };
        let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes"));
        if len == 0 || len > MAX_RECORD {
            return end_at(records, at);
        }
        let Some(body) = bytes.get(at + RECORD_HEAD..at + RECORD_HEAD + len as usize) else {
            return end_at(records, at);
        };
        if head[4..] != checksum(len, body) {
            return end_at(records, at);
        }
        let Some((seq, ops)) = decode(body) else {
            return end_at(records, at);
        };
        if records
            .last()
            .is_some_and(|(last, _)| last.checked_add(1) != Some(seq))
        {
            return end_at(records, at);
        }
        records.push((seq, ops));
        at += RECORD_HEAD + len as usize;
    }
}

/// The journal files in `dir`, by number.
fn journal_files(dir: &Path) -> Result<Vec<u64>, StoreError> {
    let mut numbers = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let name = entry.map_err(io)?.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.len() == 20 && name.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = name.parse() {
                numbers.push(n);
            }
        }
    }
    numbers.sort_unstable();
    Ok(numbers)
}

fn private_file() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Removals per store batch when a checkpoint or a start-up moves the
/// journal into the store.
const PART: usize = 256;

/// Applies a checkpoint's `ops` to `base`: each set as a plain insert,
/// removals in batches of [`PART`]. sled applies a batch under its global
/// write lock, so batches of a checkpoint's tens of thousands of keys made
/// decisions' reads wait behind them (the longest answer in the benchmark
/// went from 185 ms to 48 ms, and the 99th percentile from 80 ms to 26 ms,
/// with plain inserts). Nothing needs the parts to be atomic: the journal
/// file is removed only once sled has flushed every one of them, and a
/// start-up after a crash applies the whole file again, setting each key
/// to its last value whatever sled kept.
fn apply_in_parts<S: Store + ?Sized>(base: &S, ops: Vec<Op>) -> Result<(), StoreError> {
    let mut removals = Vec::new();
    for op in ops {
        match op {
            Op::Insert(k, v) => base.insert(&k, &v)?,
            Op::Remove(k) => {
                removals.push(Op::Remove(k));
                if removals.len() == PART {
                    base.apply(std::mem::take(&mut removals))?;
                }
            }
        }
    }
    if !removals.is_empty() {
        base.apply(removals)?;
    }
    Ok(())
}

fn sync_dir(dir: &Path, sync: bool) -> Result<(), StoreError> {
    if sync {
        File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    }
    Ok(())
}

/// The header of journal file `number`: what [`read`] expects first.
pub fn header(number: u64) -> [u8; HEADER] {
    let mut out = [0; HEADER];
    out[..8].copy_from_slice(MAGIC);
    out[8..].copy_from_slice(&number.to_le_bytes());
    out
}

/// Makes journal file `number` in `dir` durable, its name included: its
/// header, then zeros for `limit` bytes of records and a quarter more;
/// returned ready to append after its header.
fn create(dir: &Path, number: u64, sync: bool, limit: u64) -> Result<File, StoreError> {
    let mut file = private_file()
        .create_new(true)
        .open(dir.join(file_name(number)))
        .map_err(io)?;
    file.write_all(&header(number)).map_err(io)?;
    let zeros = vec![0u8; 1 << 20];
    // A quarter more, for what is appended while a checkpoint starts.
    let mut left = limit.saturating_add(limit / 4);
    while left > 0 {
        let n = left.min(zeros.len() as u64);
        file.write_all(&zeros[..n as usize]).map_err(io)?;
        left -= n;
    }
    if sync {
        file.sync_data().map_err(io)?;
    }
    sync_dir(dir, sync)?;
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(HEADER as u64)).map_err(io)?;
    Ok(file)
}

impl<S: Store + 'static> Shared<S> {
    fn path(&self, number: u64) -> PathBuf {
        self.dir.join(file_name(number))
    }

    fn check(&self) -> Result<(), StoreError> {
        match &*lock(&self.failed) {
            Some(why) => Err(StoreError::Io(why.clone())),
            None => Ok(()),
        }
    }

    /// Reads the overlay (refused once the journal has stopped). Its lock
    /// is let go before sled is read: a checkpoint moving the overlay into
    /// sled meanwhile only adds to sled what the overlay already answered.
    fn overlay<T>(&self, f: impl FnOnce(&Layers) -> T) -> Result<T, StoreError> {
        self.check()?;
        Ok(f(&self.layers.read().unwrap_or_else(|p| p.into_inner())))
    }

    /// Stops the journal for good (see the module's documentation).
    fn fail(&self, what: &str, e: &StoreError) -> StoreError {
        let why = format!("the relay's journal could not {what}: {e}");
        let mut failed = lock(&self.failed);
        if failed.is_none() {
            tracing::error!(target: "vault_server", error = %e, "the relay's journal could not {what}; it stops");
            *failed = Some(why.clone());
        }
        StoreError::Io(why)
    }

    fn sync_dir(&self) -> Result<(), StoreError> {
        sync_dir(&self.dir, self.sync)
    }

    /// Writes the pending records to the file (under the writer's lock).
    fn write_pending(&self, w: &mut Writer) -> Result<(), StoreError> {
        if !w.pending.is_empty() {
            (&*w.file)
                .write_all(&w.pending)
                .map_err(|e| self.fail("write a record", &io(e)))?;
            w.pending.clear();
        }
        Ok(())
    }

    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        self.check()?;
        if ops.is_empty() {
            return Ok(());
        }
        let mut w = lock(&self.writer);
        let before = w.pending.len();
        let seq = w.seq;
        w.seq += 1;
        encode(seq, &ops, &mut w.pending);
        w.size += (w.pending.len() - before) as u64;
        let due = w.size >= self.limit;
        {
            let mut layers = self.layers.write().unwrap_or_else(|p| p.into_inner());
            record(&mut layers.active, ops);
        }
        drop(w);
        if due {
            // Under its lock, so the thread cannot miss it between its
            // look at the size and its wait.
            let _wake = lock(&self.wake);
            self.woken.notify_one();
        }
        Ok(())
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.check()?;
        let (file, unsynced) = {
            let mut w = lock(&self.writer);
            self.write_pending(&mut w)?;
            (Arc::clone(&w.file), w.unsynced.clone())
        };
        if self.sync {
            if let Some(old) = &unsynced {
                old.sync_data().map_err(|e| self.fail("sync", &io(e)))?;
                let mut w = lock(&self.writer);
                if w.unsynced.as_ref().is_some_and(|u| Arc::ptr_eq(u, old)) {
                    w.unsynced = None;
                }
            }
            file.sync_data().map_err(|e| self.fail("sync", &io(e)))?;
        }
        Ok(())
    }

    /// Moves the current journal file into sled (see the module's
    /// documentation). One at a time: only the journal's thread and
    /// [`Journaled::close`] (after that thread ended) call it.
    fn checkpoint(&self) -> Result<(), StoreError> {
        self.check()?;
        let t0 = std::time::Instant::now();
        let next = lock(&self.writer).number + 1;
        let file = create(&self.dir, next, self.sync, self.limit)
            .map_err(|e| self.fail("start a new file", &e))?;
        let old = {
            let mut w = lock(&self.writer);
            self.write_pending(&mut w)?;
            let old = std::mem::replace(&mut w.file, Arc::new(file));
            w.unsynced = Some(old);
            w.number = next;
            w.size = HEADER as u64;
            let mut layers = self.layers.write().unwrap_or_else(|p| p.into_inner());
            let active = std::mem::take(&mut layers.active);
            layers.frozen = Some(Arc::new(active));
            next - 1
        };
        let frozen = self
            .layers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .frozen
            .clone()
            .unwrap_or_default();
        let ops = ops_of(frozen.iter().map(|(k, v)| (k.clone(), v.clone())));
        let keys = ops.len();
        if !ops.is_empty() {
            apply_in_parts(&self.base, ops)
                .map_err(|e| self.fail("apply a checkpoint to the store", &e))?;
            self.base
                .flush()
                .map_err(|e| self.fail("flush a checkpoint", &e))?;
        }
        // Dropped (thousands of keys) after the lock, not under it.
        let moved = self
            .layers
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .frozen
            .take();
        drop((moved, frozen));
        std::fs::remove_file(self.path(old))
            .map_err(|e| self.fail("remove a checkpointed file", &io(e)))?;
        self.sync_dir()
            .map_err(|e| self.fail("sync its folder", &e))?;
        *lock(&self.checkpoints) += 1;
        tracing::debug!(
            target: "vault_server",
            keys,
            millis = t0.elapsed().as_millis() as u64,
            "journal checkpointed into the store"
        );
        Ok(())
    }

    /// Moves every write into sled and empties the current file, which
    /// the next start writes to again (see [`Journaled::close`]): like a
    /// checkpoint, but without a new file (10 MiB of zeros at every stop).
    /// A crash while the records are zeroed is safe: sled holds them all
    /// by then, and reading stops at the first zeroed one.
    fn close(&self) -> Result<(), StoreError> {
        self.flush()?;
        let mut w = lock(&self.writer);
        let writes = std::mem::take(
            &mut self
                .layers
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .active,
        );
        if writes.is_empty() && w.size == HEADER as u64 {
            return Ok(());
        }
        apply_in_parts(&self.base, ops_of(writes))
            .map_err(|e| self.fail("apply the journal to the store", &e))?;
        self.base
            .flush()
            .map_err(|e| self.fail("flush the store", &e))?;
        let used = usize::try_from(w.size).unwrap_or(usize::MAX) - HEADER;
        let zero = |mut file: &File| -> std::io::Result<()> {
            use std::io::Seek as _;
            file.seek(std::io::SeekFrom::Start(HEADER as u64))?;
            file.write_all(&vec![0; used])?;
            if self.sync {
                file.sync_data()?;
            }
            file.seek(std::io::SeekFrom::Start(HEADER as u64))?;
            Ok(())
        };
        zero(&w.file).map_err(|e| self.fail("empty its file", &io(e)))?;
        w.pending.clear();
        w.size = HEADER as u64;
        Ok(())
    }

    /// The journal's thread: checkpoints whenever the file is full, until
    /// told to end.
    fn run(&self) {
        loop {
            {
                let mut end = lock(&self.wake);
                loop {
                    if *end {
                        return;
                    }
                    if lock(&self.writer).size >= self.limit {
                        break;
                    }
                    end = self.woken.wait(end).unwrap_or_else(|p| p.into_inner());
                }
            }
            if self.checkpoint().is_err() {
                // Logged by `fail`; every later call is refused.
                return;
            }
        }
    }
}

impl<S: Store + 'static> Journaled<S> {
    /// Opens the journal in `dir` (made, owner only, if missing) in front
    /// of `base`: every record its files hold is first applied to `base`
    /// and flushed. `sync` is `false` only to measure what durability
    /// costs (nothing is synced then).
    ///
    /// A damaged journal file (see the module's documentation) is refused
    /// with what is wrong and what to do.
    pub fn open(base: S, dir: &Path, sync: bool) -> Result<Self, StoreError> {
        Self::with_limit(base, dir, sync, CHECKPOINT_BYTES)
    }

    /// [`Journaled::open`] with another checkpoint size (the relay's
    /// `--checkpoint-bytes`; small in tests, to checkpoint often).
    pub fn with_limit(base: S, dir: &Path, sync: bool, limit: u64) -> Result<Self, StoreError> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(io)?;
        let numbers = journal_files(dir)?;
        let mut replay = Layer::new();
        let mut last_seq: Option<u64> = None;
        // Bytes and records after the journal's end (see the module's
        // documentation).
        let (mut ignored, mut unread) = (0usize, 0usize);
        let mut replay_records = 0usize;
        let mut last_is_empty = false;
        for (i, &number) in numbers.iter().enumerate() {
            let path = dir.join(file_name(number));
            let bytes = std::fs::read(&path).map_err(io)?;
            let read = read(&bytes, number).map_err(|why| {
                StoreError::Io(format!(
                    "the relay's journal file {} is not one: {why}. The relay does not start \
                     without knowing what it holds: restore the data folder from a backup, or \
                     move that file out of the folder if it does not belong there",
                    path.display()
                ))
            })?;
            last_is_empty = i + 1 == numbers.len()
                && bytes.len() >= HEADER
                && read.records.is_empty()
                && read.ignored == 0;
            for (seq, ops) in read.records {
                let next = last_seq.map_or(Some(seq), |l| l.checked_add(1));
                if ignored > 0 || unread > 0 || next != Some(seq) {
                    unread += 1;
                    continue;
                }
                last_seq = Some(seq);
                replay_records += 1;
                record(&mut replay, ops);
            }
            ignored += read.ignored;
        }
        if let Some(last) = last_seq {
            tracing::info!(
                target: "vault_server",
                records = replay_records,
                last_record = last,
                "decisions in the journal moved into the store after the last stop"
            );
        }
        if ignored > 0 || unread > 0 {
            tracing::warn!(
                target: "vault_server",
                ignored_bytes = ignored,
                ignored_records = unread,
                "the relay's journal ended with writes a stop interrupted; they were never answered (unless the disk damaged them), so they are left out"
            );
        }
        if !replay.is_empty() {
            apply_in_parts(&base, ops_of(replay))?;
            base.flush()?;
        }
        // A last file with nothing in it is appended to (its header is
        // durable); every other file is in the store now.
        let last = numbers.last().copied();
        let keep = last.filter(|_| last_is_empty);
        let mut removed = false;
        for &number in &numbers {
            if Some(number) != keep {
                std::fs::remove_file(dir.join(file_name(number))).map_err(io)?;
                removed = true;
            }
        }
        if removed && keep.is_some() {
            sync_dir(dir, sync)?;
        }
        let (file, number) = match keep {
            Some(number) => {
                let mut file = private_file()
                    .open(dir.join(file_name(number)))
                    .map_err(io)?;
                std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(HEADER as u64))
                    .map_err(io)?;
                (file, number)
            }
            // Made durable with its name, which also makes the removals
            // above durable.
            None => {
                let number = last.map_or(1, |n| n + 1);
                (create(dir, number, sync, limit)?, number)
            }
        };
        let shared = Shared {
            base,
            dir: dir.to_owned(),
            sync,
            limit,
            layers: RwLock::default(),
            writer: Mutex::new(Writer {
                file: Arc::new(file),
                number,
                seq: last_seq.map_or(0, |s| s.saturating_add(1)),
                pending: Vec::new(),
                size: HEADER as u64,
                unsynced: None,
            }),
            failed: Mutex::new(None),
            wake: Mutex::new(false),
            woken: Condvar::new(),
            checkpoints: Mutex::new(0),
        };
        let shared = Arc::new(shared);
        let runner = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || runner.run())
            .map_err(io)?;
        Ok(Self {
            shared,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Moves everything the journal holds into the store and ends its
    /// thread: what the relay does when it stops, so that the store alone
    /// holds every decision. Every later call is refused.
    pub fn close(&self) -> Result<(), StoreError> {
        self.stop_thread();
        let done = self.shared.close();
        let mut failed = lock(&self.shared.failed);
        if failed.is_none() {
            *failed = Some("the relay's journal is closed".into());
        }
        done
    }

    /// How many checkpoints were made since the journal was opened.
    pub fn checkpoints(&self) -> u64 {
        *lock(&self.shared.checkpoints)
    }

    fn stop_thread(&self) {
        *lock(&self.shared.wake) = true;
        self.shared.woken.notify_all();
        if let Some(t) = lock(&self.thread).take() {
            let _ = t.join();
        }
    }
}

impl<S: Store + 'static> Store for Journaled<S> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.shared.overlay(|l| l.get(key))? {
            Some(v) => Ok(v),
            None => self.shared.base.get(key),
        }
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.shared
            .apply(vec![Op::Insert(key.to_vec(), value.to_vec())])
    }

    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        self.shared.apply(ops)
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
        let overlay = self.shared.overlay(|l| l.under(prefix))?;
        let mut merged: Layer = self
            .shared
            .base
            .scan_prefix(prefix)?
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        merged.extend(overlay);
        Ok(merged
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect())
    }

    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        let overlay = self.shared.overlay(|l| l.under(prefix))?;
        let mut merged: BTreeMap<Vec<u8>, bool> = self
            .shared
            .base
            .keys_with_prefix(prefix)?
            .into_iter()
            .map(|k| (k, true))
            .collect();
        merged.extend(overlay.into_iter().map(|(k, v)| (k, v.is_some())));
        Ok(merged
            .into_iter()
            .filter_map(|(k, present)| present.then_some(k))
            .collect())
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.shared.flush()
    }
}

impl<S: Store + 'static> Drop for Journaled<S> {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use vault_core::store::MemoryStore;

    use super::*;

    fn set(k: &str, v: &str) -> Op {
        Op::Insert(k.as_bytes().to_vec(), v.as_bytes().to_vec())
    }

    fn remove(k: &str) -> Op {
        Op::Remove(k.as_bytes().to_vec())
    }

    fn get(s: &dyn Store, k: &str) -> Option<String> {
        s.get(k.as_bytes())
            .expect("reads")
            .map(|v| String::from_utf8(v).expect("text"))
    }

    fn scan(s: &dyn Store, prefix: &str) -> Vec<(String, String)> {
        s.scan_prefix(prefix.as_bytes())
            .expect("scans")
            .into_iter()
            .map(|(k, v)| {
                (
                    String::from_utf8(k).expect("text"),
                    String::from_utf8(v).expect("text"),
                )
            })
            .collect()
    }

    /// A journal over a store in memory that outlives it (as sled's
    /// folder outlives a crash of the relay).
    fn journal(base: &Arc<MemoryStore>, dir: &Path, limit: u64) -> Journaled<Arc<MemoryStore>> {
        Journaled::with_limit(Arc::clone(base), dir, true, limit).expect("opens")
    }

    fn files(dir: &Path) -> Vec<u64> {
        journal_files(dir).expect("lists")
    }

    #[test]
    fn reads_its_own_writes_before_and_after_they_reach_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        base.apply(vec![
            set("a0", "old"),
            set("a9", "gone soon"),
            set("b1", "other"),
        ])
        .expect("base");
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        j.insert(b"a1", b"one").expect("insert");
        j.apply(vec![
            set("a2", "two"),
            remove("a9"),
            set("a0", "new"),
            remove("nothing"),
        ])
        .expect("apply");
        let expect = vec![
            ("a0".to_string(), "new".to_string()),
            ("a1".into(), "one".into()),
            ("a2".into(), "two".into()),
        ];
        assert_eq!(scan(&j, "a"), expect);
        assert_eq!(
            j.keys_with_prefix(b"a").expect("keys"),
            vec![b"a0".to_vec(), b"a1".to_vec(), b"a2".to_vec()]
        );
        assert_eq!(
            get(&j, "a9"),
            None,
            "removed in the journal, still in the store"
        );
        assert_eq!(get(&*base, "a9").as_deref(), Some("gone soon"));
        assert_eq!(get(&j, "b1").as_deref(), Some("other"));
        j.flush().expect("flush");
        assert_eq!(
            get(&*base, "a1"),
            None,
            "a flush writes the journal, not the store"
        );
        let number = files(dir.path());
        j.close().expect("closes");
        assert_eq!(scan(&*base, "a"), expect, "closing moved everything");
        assert_eq!(files(dir.path()), number, "the file is kept, emptied");
        assert_eq!(get(&*base, "a9"), None);
        assert!(j.get(b"a1").is_err(), "a closed journal refuses calls");
        assert!(j.apply(vec![set("c", "late")]).is_err());
        drop(j);
        // Started again: nothing to replay, the same file is written to.
        base.apply(vec![remove("a1")])
            .expect("changed in the store");
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(get(&j, "a1"), None, "nothing replayed over the store");
        assert_eq!(files(dir.path()), number);
        j.apply(vec![set("d", "after")]).expect("apply");
        j.flush().expect("flush");
        drop(j);
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(get(&j, "d").as_deref(), Some("after"));
    }

    #[test]
    fn a_stop_without_closing_loses_nothing_flushed_and_is_replayed_at_the_next_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        {
            let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
            j.apply(vec![set("k1", "a"), set("k2", "b")])
                .expect("apply");
            j.apply(vec![remove("k1"), set("k3", "c")]).expect("apply");
            j.flush().expect("flush");
            // Not flushed: never answered, may be lost.
            j.apply(vec![set("k4", "unflushed")]).expect("apply");
        }
        assert_eq!(scan(&*base, "k"), vec![], "nothing reached the store");
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(
            scan(&*base, "k"),
            vec![("k2".into(), "b".into()), ("k3".into(), "c".into())],
            "replayed into the store at start-up, in order"
        );
        assert_eq!(get(&j, "k4"), None);
        assert_eq!(files(dir.path()).len(), 1, "one empty file is left");
        // Replaying again changes nothing.
        drop(j);
        let _j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(scan(&*base, "k").len(), 2);
    }

    #[test]
    fn checkpoints_move_full_files_into_the_store_while_writes_go_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        let j = journal(&base, dir.path(), 2048);
        for i in 0..400u32 {
            j.apply(vec![
                set(&format!("n{:04}", i), &"x".repeat(40)),
                remove(&format!("n{:04}", i.wrapping_sub(2))),
            ])
            .expect("apply");
            j.flush().expect("flush");
            assert_eq!(
                get(&j, &format!("n{:04}", i)).as_deref(),
                Some(&*"x".repeat(40))
            );
        }
        // The journal's thread catches up.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while j.checkpoints() < 5 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(j.checkpoints() >= 5, "{} checkpoints", j.checkpoints());
        assert!(
            files(dir.path()).len() <= 2,
            "checkpointed files are removed"
        );
        let keys: Vec<String> = scan(&j, "n").into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec!["n0398".to_string(), "n0399".into()]);
        assert!(
            get(&*base, "n0000").is_none(),
            "removals reach the store too"
        );
        assert!(
            !scan(&*base, "n").is_empty(),
            "the store holds checkpointed writes"
        );
        drop(j);
        let j = journal(&base, dir.path(), 2048);
        let keys: Vec<String> = scan(&j, "n").into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec!["n0398".to_string(), "n0399".into()]);
    }

    /// The bytes of journal file `number` in `dir`, changed by `f`.
    fn change(dir: &Path, number: u64, f: impl FnOnce(&mut Vec<u8>)) {
        let path = dir.join(file_name(number));
        let mut bytes = std::fs::read(&path).expect("reads");
        f(&mut bytes);
        std::fs::write(&path, bytes).expect("writes");
    }

    /// Where each whole record of `bytes` starts.
    fn starts(bytes: &[u8]) -> Vec<usize> {
        let mut at = HEADER;
        let mut out = Vec::new();
        while let Some(head) = bytes.get(at..at + RECORD_HEAD) {
            let len = u32::from_le_bytes(head[..4].try_into().expect("4")) as usize;
            if len == 0 {
                break;
            }
            out.push(at);
            at += RECORD_HEAD + len;
        }
        out
    }

    fn three_records(dir: &Path, base: &Arc<MemoryStore>) -> u64 {
        let j = journal(base, dir, CHECKPOINT_BYTES);
        for (k, v) in [("r1", "a"), ("r2", "b"), ("r3", "c")] {
            j.apply(vec![set(k, v)]).expect("apply");
            j.flush().expect("flush");
        }
        let number = files(dir)[0];
        drop(j);
        number
    }

    #[test]
    fn a_record_cut_short_by_a_crash_ends_the_journal_and_the_rest_is_replayed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        let number = three_records(dir.path(), &base);
        change(dir.path(), number, |b| {
            let last = *starts(b).last().expect("records");
            // Its last byte never reached the disk.
            let end = last
                + RECORD_HEAD
                + u32::from_le_bytes(b[last..last + 4].try_into().expect("4")) as usize;
            b[end - 1] ^= 0xff;
        });
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(
            scan(&j, "r"),
            vec![("r1".into(), "a".into()), ("r2".into(), "b".into())]
        );
    }

    #[test]
    fn nothing_after_a_record_that_is_not_whole_is_replayed_not_even_in_a_later_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        let number = three_records(dir.path(), &base);
        // A later file with a record numbered next, as if the first file's
        // middle record had been lost.
        let bytes = std::fs::read(dir.path().join(file_name(number))).expect("reads");
        let at = starts(&bytes);
        change(dir.path(), number, |b| b[at[1] + RECORD_HEAD] ^= 1);
        let mut later = MAGIC.to_vec();
        later.extend_from_slice(&(number + 1).to_le_bytes());
        encode(3, &[set("r4", "d")], &mut later);
        std::fs::write(dir.path().join(file_name(number + 1)), later).expect("writes");
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(scan(&j, "r"), vec![("r1".into(), "a".into())]);
        assert_eq!(
            files(dir.path()).len(),
            1,
            "both files are gone, a new one made"
        );
    }

    #[test]
    fn a_later_file_whose_records_do_not_follow_on_is_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        let number = three_records(dir.path(), &base);
        let mut later = MAGIC.to_vec();
        later.extend_from_slice(&(number + 1).to_le_bytes());
        // Records 0, 1, 2 are in the first file; 4 does not follow.
        encode(4, &[set("r5", "e")], &mut later);
        std::fs::write(dir.path().join(file_name(number + 1)), later).expect("writes");
        let j = journal(&base, dir.path(), CHECKPOINT_BYTES);
        assert_eq!(scan(&j, "r").len(), 3);
        assert_eq!(get(&j, "r5"), None);
    }

    #[test]
    fn a_file_that_is_not_a_journal_file_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(MemoryStore::new());
        let number = three_records(dir.path(), &base);
        change(dir.path(), number, |b| b[0] = b'X');
        let e = Journaled::with_limit(Arc::clone(&base), dir.path(), true, CHECKPOINT_BYTES)
            .expect_err("refused")
            .to_string();
        assert!(e.contains(&file_name(number)), "{e}");
        assert!(e.contains("restore the data folder from a backup"), "{e}");
        assert_eq!(scan(&*base, "r"), vec![], "nothing was applied");
        assert!(
            dir.path().join(file_name(number)).exists(),
            "the file is kept"
        );
    }

    #[test]
    fn read_gives_back_what_was_encoded_and_stops_at_the_first_record_not_whole() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&7u64.to_le_bytes());
        let records = vec![
            (10, vec![set("a", "1"), remove("b")]),
            (11, vec![set("", ""), set("c", &"v".repeat(300))]),
        ];
        for (seq, ops) in &records {
            encode(*seq, ops, &mut bytes);
        }
        let whole = bytes.len();
        bytes.extend_from_slice(&[0; 64]);
        assert_eq!(
            read(&bytes, 7),
            Ok(Read {
                records: records.clone(),
                ignored: 0
            })
        );
        assert!(read(&bytes, 8).is_err(), "another file's number");
        // A record numbered out of turn ends it.
        let mut skipped = bytes[..whole].to_vec();
        encode(13, &[set("d", "4")], &mut skipped);
        let r = read(&skipped, 7).expect("reads");
        assert_eq!((r.records, r.ignored > 0), (records.clone(), true));
        // Cut anywhere inside the last record: the others stay.
        for cut in whole - 5..whole {
            let r = read(&bytes[..cut], 7).expect("reads");
            assert_eq!(r.records, records[..1].to_vec(), "cut at {cut}");
        }
        assert_eq!(read(&bytes[..3], 7).expect("reads").records, vec![]);
    }

    /// A store whose writes fail once told to.
    #[derive(Default)]
    struct Failing {
        inner: MemoryStore,
        fail: AtomicBool,
    }

    impl Store for Failing {
        fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
            self.inner.get(key)
        }
        fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
            if self.fail.load(Ordering::SeqCst) {
                return Err(StoreError::Io("disk full".into()));
            }
            self.inner.insert(key, value)
        }
        fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
            if self.fail.load(Ordering::SeqCst) {
                return Err(StoreError::Io("disk full".into()));
            }
            self.inner.apply(ops)
        }
        fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
            self.inner.scan_prefix(prefix)
        }
        fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
            self.inner.keys_with_prefix(prefix)
        }
        fn flush(&self) -> Result<(), StoreError> {
            Ok(())
        }
    }

    #[test]
    fn a_checkpoint_that_fails_stops_every_later_call_and_keeps_the_journal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Arc::new(Failing::default());
        let j = Journaled::with_limit(Arc::clone(&base), dir.path(), true, 256).expect("opens");
        base.fail.store(true, Ordering::SeqCst);
        let mut stopped = false;
        for i in 0..200 {
            if j.apply(vec![set(&format!("f{i}"), &"y".repeat(64))])
                .is_err()
                || j.flush().is_err()
            {
                stopped = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(stopped, "the failed checkpoint stopped the journal");
        assert!(j.get(b"f0").is_err(), "reads are refused too");
        drop(j);
        // Started again on a store that works, nothing flushed is lost.
        base.fail.store(false, Ordering::SeqCst);
        let j = Journaled::with_limit(Arc::clone(&base), dir.path(), true, 256).expect("opens");
        assert_eq!(get(&j, "f0").as_deref(), Some(&*"y".repeat(64)));
    }
}
