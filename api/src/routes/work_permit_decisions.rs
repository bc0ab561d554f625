//! Placeholder: filled by the work-permit ministry decisions and payments routes.

/// Registers this module's handlers.
pub fn routes(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
