//! Labour demands (işgücü istemi) of İŞKUR — DOMAIN.md §3–§4, seed 001 §2, §2.1.1, §2.2.
//!
//! This crate will own: employers, their workplaces (one head office per province, branches)
//! and workplace users with permission flags; job seekers and their profiles; the labour
//! demand aggregate with its talep number and active → closed / cancelled lifecycle;
//! eligibility judged as of the last application date; the open-job search modes
//! (Açık İş İlanları); the employer's candidate workflow (Eleman Seç, Aday Gör, interviews)
//! and the report queries behind the PDF / Excel downloads.
