//! The routes, one module per concern.

pub mod delegations;
pub mod log;
pub mod meta;
pub mod pages;
pub mod redeem;
pub mod revoke;
pub mod shares;

use vault_core::relay::{unhex, Refusal};
use vault_core::TokenId;

use crate::error::AppError;

/// Parses a hex token id; anything else is `bad_request`.
pub fn token_id(hex: &str) -> Result<TokenId, AppError> {
    unhex(hex)
        .and_then(|b| b.try_into().ok())
        .ok_or(AppError::Refused(Refusal::BadRequest))
}

/// Parses a printed id of `role`; anything else is `bad_request`.
pub fn id(text: &str, role: vault_core::Role) -> Result<vault_core::PublicId, AppError> {
    vault_core::PublicId::parse(text, role).map_err(|_| AppError::Refused(Refusal::BadRequest))
}
