//! Kapı shared kernel.
//!
//! Types here are valid by construction: a [`Tckn`] cannot hold a number with a wrong
//! checksum, a [`MobilePhone`] is always the normalised ten digits. Every other crate takes
//! these types at its boundary, so a check is written once. Nothing here does I/O.

pub mod actor;
pub mod blob;
pub mod codes;
pub mod dates;
pub mod employer;
pub mod error;
pub mod fold;
pub mod geo;
pub mod history;
pub mod identity;
pub mod ids;
pub mod money;
pub mod paging;
pub mod phone;
pub mod text;

pub use actor::{Actor, ActorKind, EmployerPermissions};
pub use blob::BlobStore;
pub use codes::OccupationCode;
pub use dates::{
    end_of_istanbul_day, is_until_date, istanbul_date_of, start_of_istanbul_day, ISTANBUL,
};
pub use employer::EmployerSector;
pub use error::{DomainError, ErrorKind, FieldError, FieldErrors};
pub use fold::{like_contains, search_fold};
pub use geo::ProvinceCode;
pub use history::{HistoryEntry, HistoryLog};
pub use identity::{with_tckn_checksum, with_vkn_checksum, SgkNo, Tckn, Vkn, Ykn};
pub use ids::*;
pub use money::Money;
pub use paging::{Page, PageRequest, COUNT_CAP};
pub use phone::{Email, MobilePhone};
pub use text::{check_input_text, check_line_text, clean_text, collapse_whitespace};
