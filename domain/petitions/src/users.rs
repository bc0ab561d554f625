//! Açık Kapı desk users — Sorumlu (AKS) and Yetkili — administered per province
//! (seed 004 §6). Being written; see `persistence::petition_users` and
//! `api::routes::petition_users`.
