//! Açık Kapı desk users: administration by the province administrator and the officers'
//! TCKN + mobile + one-time-code login.
