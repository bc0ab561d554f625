//! Labour demands (işgücü istemi) of İŞKUR — DOMAIN.md §3–§4, seed 001 §2, §2.1.1, §2.2.
//!
//! - [`employer`]: employers, membership, employer login, users and workplaces;
//!   [`workplace`]: one head office per province, branches, user roles, the primary
//!   admin, locked and closed accounts.
//! - [`job_seeker`]: the citizen's job-seeker profile (CV).
//! - [`demand`]: the labour demand aggregate — sections, talep number, the
//!   active → closed / cancelled lifecycle.
//! - [`eligibility`]: suitability judged as of the last application date, and the ranking
//!   behind the employer's candidate selection (Eleman Seç).
//! - [`candidate`]: the candidate list (Aday Gör), invitations and interview results.
//! - [`search`]: the open-job search modes (Açık İş İlanları).
//! - [`demands`]: the use cases over the [`demands::DemandStore`] port.
//! - [`reports`]: the employer's selection, referral, interview and result lists.

pub mod candidate;
pub mod demand;
pub mod demands;
pub mod eligibility;
pub mod employer;
pub mod job_seeker;
pub mod reports;
pub mod search;
pub mod workplace;
