//! `vault-server`: the blind relay agencies redeem consent tokens at.
//!
//! Start-up only: arguments, the relay's key, the store and the share
//! files (`DATA/store/`, `DATA/shares/`), then the serve loop
//! (`serve.rs`: connection caps, header timeout, graceful shutdown). The
//! routes live in `app.rs` and `routes/`, admission in `admission.rs`.

use std::fs::OpenOptions;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::builder::TypedValueParser;
use clap::Parser;
use vault_core::store::{Documents, FolderDocuments, SledStore, Store};
use vault_core::{Identity, Role};

use vault_server::admission::Caps;
use vault_server::journal::{Journaled, JOURNAL_DIR};
use vault_server::state::{AppState, Limits};
use vault_server::{app, shares_dir, NoFsync, STORE_DIR};

/// The Folio relay.
#[derive(Debug, Parser)]
#[command(name = "vault-server", version, about)]
struct Args {
    /// Where the relay keeps its key, store and share files [default: a folder in the user data directory]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,

    /// Address to listen on; port 0 picks a free port
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,

    /// The origin put into links and signed requests, as clients reach the
    /// relay (e.g. https://relay.example.org) [default: http://ADDR]
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,

    /// Requests per minute from one address
    #[arg(long, default_value_t = Limits::default().per_ip_per_minute)]
    rate_per_ip: u32,

    /// Redemption attempts per minute for one token
    #[arg(long, default_value_t = Limits::default().per_token_per_minute)]
    rate_per_token: u32,

    /// Open connections from one address; more are answered 429 and closed
    #[arg(long, default_value_t = Caps::default().conns_per_ip, value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    conns_per_ip: usize,

    /// Open connections in total (keep under `ulimit -n`)
    #[arg(long, default_value_t = Caps::default().conns_total, value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    max_connections: usize,

    /// Requests from one address being read or handled at once
    #[arg(long, default_value_t = Limits::default().in_flight_per_ip, value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    in_flight_per_ip: usize,

    /// Bytes of journal after which decisions are moved into the store
    /// (a checkpoint); between 4096 and 1 GiB
    #[arg(long, default_value_t = vault_server::journal::CHECKPOINT_BYTES, value_parser = clap::value_parser!(u64).range(4096..=1 << 30))]
    checkpoint_bytes: u64,

    /// FOR BENCHMARKS ONLY: answer without making decisions durable first;
    /// a crash, even of this process alone, loses answered decisions
    #[arg(long, hide = true)]
    unsafe_no_fsync: bool,
}

/// The relay's Ed25519 key: `DIR/relay.key`, 32 bytes, mode 0600, made on
/// first start.
fn relay_key(dir: &Path) -> anyhow::Result<Identity> {
    let path = dir.join("relay.key");
    if let Ok(bytes) = std::fs::read(&path) {
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("{} is damaged (not 32 bytes)", path.display()))?;
        return Ok(Identity::from_seed(Role::Relay, &seed));
    }
    let id = Identity::generate(Role::Relay)?;
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&path)
        .with_context(|| format!("could not create {}", path.display()))?;
    f.write_all(&id.seed()[..])?;
    f.sync_all()?;
    Ok(id)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "vault_server=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let data = match args.data {
        Some(d) => d,
        None => default_data()?,
    };
    // Owner only: sled makes its files with the umask (issue 10, item 4).
    vault_core::fsmode::restrict_umask();
    std::fs::create_dir_all(&data)
        .with_context(|| format!("could not create {}", data.display()))?;
    let loose =
        vault_core::fsmode::make_private(&data).context("the data folder must be private")?;
    if !loose.is_empty() {
        tracing::warn!(target: "vault_server", "made {} file(s) and folder(s) in {} private to this user; other local users could read them", loose.len(), data.display());
    }
    let relay = relay_key(&data)?;
    let sled = SledStore::open(&data.join(STORE_DIR))
        .map_err(|e| anyhow::anyhow!("could not open the store in {}: {e}", data.display()))?;
    let shares = shares_dir(&data).with_context(|| {
        format!(
            "could not make the share folder in {} (owner only)",
            data.display()
        )
    })?;
    let (base, shares): (Arc<dyn Store>, Box<dyn Documents>) = if args.unsafe_no_fsync {
        tracing::warn!(target: "vault_server", "running WITHOUT durable writes (benchmark mode): a crash, even of this process alone, loses decisions already answered");
        (
            Arc::new(NoFsync(sled)),
            Box::new(vault_core::store::FolderDocuments::without_fsync(&shares)),
        )
    } else {
        (Arc::new(sled), Box::new(FolderDocuments::new(&shares)))
    };
    // Decisions are made durable in the journal and moved into sled in
    // checkpoints; what an earlier run left in it is moved now.
    let journal = Arc::new(
        Journaled::with_limit(
            base,
            &data.join(JOURNAL_DIR),
            !args.unsafe_no_fsync,
            args.checkpoint_bytes,
        )
        .map_err(|e| anyhow::anyhow!("could not open the store in {}: {e}", data.display()))?,
    );
    let store: Box<dyn Store> = Box::new(Arc::clone(&journal));

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("could not listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let origin = vault_core::share::link::check_origin(
        args.public_url
            .as_deref()
            .unwrap_or(&format!("http://{addr}")),
    )
    .map_err(|e| anyhow::anyhow!("--public-url is not usable: {e}"))?;
    let state = AppState::new(
        store,
        shares,
        relay,
        origin.clone(),
        Limits {
            per_ip_per_minute: args.rate_per_ip,
            per_token_per_minute: args.rate_per_token,
            in_flight_per_ip: args.in_flight_per_ip,
        },
    );
    let relay_id = state.inner.relay.public();
    let router = app::app(state.clone());

    // The lines tests and scripts wait for (the address line last, and
    // alone on its line: scripts read the address from it).
    let web_bundle = vault_server::web::bundle_id();
    tracing::info!(target: "vault_server", %addr, %origin, relay = %relay_id, %web_bundle, "listening");
    eprintln!("vault-server web bundle {web_bundle}");
    eprintln!("vault-server listening on http://{addr}");

    let caps = Caps {
        conns_per_ip: args.conns_per_ip,
        conns_total: args.max_connections,
    };
    let kept = state.clone();
    let mut stopped = state.inner.db.stopped();
    let failed = stopped.clone();
    let store_failed = async move {
        if stopped.wait_for(|failed| *failed).await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let stop = async {
        tokio::select! {
            () = shutdown() => {},
            () = store_failed => {},
        }
    };
    vault_server::serve::serve(listener, router, state, caps, stop).await;
    // Deleted shares' files still waiting are removed before the relay
    // exits (those of a crash, at the next start).
    let finished = kept.inner.db.finish();
    if *failed.borrow() {
        // Fail-stop (see `db::GroupCommit`): started again, the relay
        // reads what the disk holds.
        anyhow::bail!(
            "the relay stopped because its store could not make a decision durable \
             (the disk refused a write or a sync; nothing was answered as done that is not on disk). \
             Check the disk and its free space, then start the relay again."
        );
    }
    if let Err(e) = finished {
        tracing::warn!(target: "vault_server", error = ?e, "some deleted shares' files are removed at the next start");
    }
    if let Err(e) = journal.close() {
        tracing::warn!(target: "vault_server", error = %e, "the journal is moved into the store at the next start");
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests can finish.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// The default data folder: `relay` in the per-user `folio` folder. An
/// earlier version's `survivor-vault` folder is renamed to `folio` once
/// (same parent), so the relay's key and shares are kept; if both exist,
/// `folio` is used and the old one is left alone.
fn default_data() -> anyhow::Result<PathBuf> {
    let folder =
        |name: &str| directories::ProjectDirs::from("", "", name).map(|d| d.data_dir().to_owned());
    let new = folder("folio").context("no user data folder; give --data DIR")?;
    if let Some(old) = folder("survivor-vault").filter(|d| d.is_dir()) {
        if new.exists() {
            tracing::warn!(target: "vault_server", "both {} and {} exist; using {}, the older folder is left as it is", old.display(), new.display(), new.display());
        } else {
            match std::fs::rename(&old, &new) {
                Ok(()) => {
                    tracing::info!(target: "vault_server", "renamed the data folder {} to {}; nothing in it changed", old.display(), new.display())
                }
                Err(_) => {
                    tracing::warn!(target: "vault_server", "could not rename {} to {}; using it where it is", old.display(), new.display());
                    return Ok(old.join("relay"));
                }
            }
        }
    }
    Ok(new.join("relay"))
}
