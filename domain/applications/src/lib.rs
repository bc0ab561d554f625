//! Candidate applications (başvuru) of Kariyer Kapısı — DOMAIN.md §2, seed 000 §5–§8.
//!
//! This crate will own: the step-by-step application wizard ("Kaydet ve İlerle") and its
//! declarations, the one-live-application-per-posting rule, the statuses Başvuru Bekliyor /
//! Onaylandı / İptal Edildi, cancellation only until the posting's end date (Istanbul civil
//! date), evaluation stages and their published results, exam and interview invitations
//! (Sınavlarım/Mülakatlarım), and the placement ranking into asil / yedek / olumsuz.

pub mod application;
pub mod declarations;
pub mod placement;
#[cfg(test)]
mod tests;
pub mod usecases;
