//! Work permits for foreigners (e-İzin) — DOMAIN.md §7, seeds 002 and 003.
//!
//! The pure rules, with the clock always a parameter (`now: OffsetDateTime`; every civil
//! date and deadline is Europe/Istanbul, "until D" = until D 23:59:59 Istanbul):
//!
//! - [`calendar`]: day and month arithmetic shared by every rule — deadlines of N days,
//!   deadlines of N calendar months (clamped to a shorter month), periods of whole months or
//!   years (leap days handled).
//! - [`duration`]: Law 6735 — first permit ≤ 1 year, first extension ≤ 2, later ≤ 3; end
//!   ≥ 60 days before the passport expires; an extension filed from 60 days before the
//!   current permit ends and before it ends, starting the day after.
//! - [`kind`]: employer kinds (company, household with its care kind and guardianship,
//!   university), first / extension, the routes (in Türkiye by YKN with a residence permit
//!   running 6 more months; abroad by a 16-digit consulate reference valid 30 days and single
//!   use; academics by YÖK pre-permit or exempt / TRNC), and the YÖK and MFA registry ports.
//! - [`fees`]: the dated fee schedule as data (harç 9130, değerli kâğıt bedeli 9267), the
//!   fees due, the lost-card fee, exact-amount payments, a demo 2025–2026 tariff and the CSV
//!   row type a loader reads from `reference/`.
//! - [`evaluation`]: the ministry's state machine from draft to approved / rejected, appeal
//!   or waiver, who may do each transition, the 30-day limits, what the scheduled job expires
//!   ([`evaluation::due_action`]), the Turkish history notes, the employer's lists.
//! - [`post_permit`]: card shipment, start-of-work notification, lost-card request (with the
//!   payment-reference port), termination request with its reason code list.
//! - [`photo`] and [`documents`]: biometric photo and PDF checks by content, the required
//!   documents per application kind.
//! - [`draft`]: drafts kept one calendar month after their last save.
//! - [`application`]: the application aggregate (a JSON document): employer reference, kind,
//!   the foreigner as the route identified them, the wizard, the evaluation, the times and
//!   the version.
//! - [`wizard`]: the five steps (personal, general, job, documents, result) with their raw
//!   inputs validated naming every field, the step order, the NVİ kinship and e-signature
//!   ports.
//! - [`employer`]: e-İzin employer registration (company from the SGK workplaces the person
//!   is authorised for, household, university) with verified contacts, the store port.
//! - [`usecases`]: the store port and the use cases — start, save each step, submit with
//!   the e-signature, the employer's own reads and lists, the expired-draft job.
//!
//! Errors are [`kapi_core::DomainError`] with stable codes `work_permit.<rule>` (fees:
//! `fee.<rule>`): one broken rule answers with its own code and field, several with
//! `validation.failed` naming each.
//!
//! - [`panel`]: who acts for an employer (its owner, the users it authorised), the
//!   assignment of applications among them.
//! - [`files`]: the photo and PDFs uploaded for a wizard, the only files a step may name.
//! - [`petition`]: the application petition's text, built from the saved steps.
//! - [`ministry`]: the evaluator's queue and decisions, fee references and payments at the
//!   (simulated) GİB, appeal and waiver, lost cards, the scheduled rejections.
//! - [`after_permit`]: the card printed and shipped by (simulated) PTT, start of work,
//!   documents asked after approval, termination.
//!
//! Later (not here yet): the integrators' event feed (issue 8).

/// A closed code list: `as_str` (the API's snake_case value), `label_tr` (what users read),
/// `parse` and `ALL` (what `/reference/...` serves).
macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn label_tr(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }
    };
}

/// A string newtype valid by construction: `parse` is the only way in, serde goes through it.
macro_rules! string_newtype {
    ($t:ident) => {
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $t::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
        impl std::str::FromStr for $t {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                $t::parse(s)
            }
        }
    };
}

pub mod after_permit;
pub mod application;
pub mod calendar;
pub mod documents;
pub mod draft;
pub mod duration;
pub mod employer;
pub mod evaluation;
pub mod fees;
pub mod files;
pub mod kind;
pub mod ministry;
pub mod panel;
pub mod petition;
pub mod photo;
pub mod post_permit;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod testkit;
pub mod usecases;
pub mod wizard;

use kapi_core::{DomainError, FieldError};

/// One broken rule is answered with its own code (`work_permit.first_too_long`, 422 naming
/// the field); several with `validation.failed` listing every one of them.
pub fn refuse(mut errors: Vec<FieldError>) -> Result<(), DomainError> {
    if errors.len() > 1 {
        return Err(DomainError::fields(errors));
    }
    match errors.pop() {
        Some(e) => Err(DomainError::rule(e)),
        None => Ok(()),
    }
}
