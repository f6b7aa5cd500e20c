//! `vault-server`: the blind relay agencies redeem consent tokens at.
//!
//! For now it only answers `GET /healthz`; the relay routes arrive with the
//! consent-token and relay issues.

mod app;

use std::net::SocketAddr;

use clap::Parser;

/// The Survivor Vault relay.
#[derive(Debug, Parser)]
#[command(name = "vault-server", version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,
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
        .init();
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("could not listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr()?;
    // The one line tests and scripts wait for.
    tracing::info!(target: "vault_server", %addr, "listening");
    eprintln!("vault-server listening on http://{addr}");
    axum::serve(listener, app::app())
        .with_graceful_shutdown(shutdown())
        .await?;
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
