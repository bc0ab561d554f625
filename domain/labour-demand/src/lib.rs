//! Labour demands (işgücü istemi) of İŞKUR — DOMAIN.md §3–§4, seed 001 §2, §2.1.1, §2.2.
//!
//! Today this crate owns employers, membership, employer login and workplaces
//! ([`employer`]) and the workplace and workplace-user rules ([`workplace`]: one head
//! office per province, branches, user roles, the primary admin, locked and closed
//! accounts). It will also own: job seekers and their profiles;
//! the labour demand aggregate with its talep number and active → closed / cancelled
//! lifecycle; eligibility judged as of the last application date; the open-job search modes
//! (Açık İş İlanları); the employer's candidate workflow (Eleman Seç, Aday Gör, interviews)
//! and the report queries behind the PDF / Excel downloads.

pub mod employer;
pub mod workplace;
