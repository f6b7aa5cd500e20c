//! HTTP-level tests of the router with `oneshot` (no network).
