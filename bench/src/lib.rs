//! Benchmarks comparing Survivor Vault's code with other crates' on the
//! same work; see `benches/`. Nothing here is shipped.
