//! The one error shape every domain crate answers with.
//!
//! A domain crate may keep its own error enum, but it converts into [`DomainError`], which
//! carries a stable machine `code` (`sector.name_taken`), a human message, and for invalid
//! input the offending fields. The API layer has one mapper from here to problem+json.

use std::borrow::Cow;

/// What went wrong, coarse enough to pick an HTTP status from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A field is malformed or a business rule refuses the input (422).
    Invalid,
    /// The record does not exist **or is not the actor's to see** (404).
    NotFound,
    /// The actor is known but may not do this (403).
    Forbidden,
    /// No or bad credentials (401).
    Unauthenticated,
    /// The record's state does not allow this now (409).
    Conflict,
    /// The client's `If-Match` version is stale (412).
    PreconditionFailed,
    /// Too many attempts (429).
    RateLimited,
    /// A port failed (a bug, I/O, a broken stored record): 500.
    Internal,
    /// A port is out of reach for now (the database stopped, frozen or locked beyond its
    /// timeouts): 503 with `Retry-After`; the same request may succeed later.
    Unavailable,
}

/// One invalid field: `{ "field": "tckn", "code": "tckn.checksum", "message": "…" }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: Cow<'static, str>,
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }

    /// The same error reported under another field name (`tckn` → `citizen.tckn`).
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

/// The domain's error: kind, stable code, message, optional field errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct DomainError {
    pub kind: ErrorKind,
    pub code: Cow<'static, str>,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// Seconds until a rate-limited action may be retried.
    pub retry_after: Option<u64>,
}

impl DomainError {
    pub fn new(
        kind: ErrorKind,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            retry_after: None,
        }
    }
    pub fn invalid(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }
    /// 422 for one or more invalid fields.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            ErrorKind::Invalid,
            "validation.failed",
            "One or more fields are invalid.",
        );
        e.fields = fields;
        e
    }
    pub fn field(err: FieldError) -> Self {
        Self::fields(vec![err])
    }
    /// 422 for a broken rule about one field: the rule's code is the problem's code too
    /// (`application.acceptance_required`), and the field is named.
    pub fn rule(err: FieldError) -> Self {
        let mut e = Self::new(ErrorKind::Invalid, err.code.clone(), err.message.clone());
        e.fields = vec![err];
        e
    }
    pub fn not_found(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }
    pub fn forbidden(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, message)
    }
    pub fn unauthenticated(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthenticated, code, message)
    }
    pub fn conflict(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }
    pub fn stale(resource: &str) -> Self {
        Self::new(
            ErrorKind::PreconditionFailed,
            "precondition.version_mismatch",
            format!("The {resource} was changed by someone else; reload it and try again."),
        )
    }
    pub fn rate_limited(
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        retry_after: u64,
    ) -> Self {
        let mut e = Self::new(ErrorKind::RateLimited, code, message);
        e.retry_after = Some(retry_after);
        e
    }
    /// A report or export matched nothing (404 `report.no_records`): the portals say so in
    /// these words instead of handing out an empty file.
    pub fn no_records() -> Self {
        Self::not_found(
            "report.no_records",
            "Girdiğiniz kriterlere uygun kayıt bulunamadı.",
        )
    }
    /// A port failed. The message is for the log, never for the client.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "internal", message)
    }
    /// A port is out of reach for now (`service.unavailable`); retry after `retry_after`
    /// seconds. The message (the real cause) is for the log, never for the client.
    pub fn unavailable(message: impl Into<String>, retry_after: u64) -> Self {
        let mut e = Self::new(ErrorKind::Unavailable, "service.unavailable", message);
        e.retry_after = Some(retry_after);
        e
    }
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        Self::field(e)
    }
}

/// Collects field errors from several parses and fails once with all of them.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    /// Keeps the value, or records the error under `field` and returns `None`.
    pub fn take<T>(&mut self, field: &str, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e.at(field));
                None
            }
        }
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::fields(self.0))
        }
    }
}
