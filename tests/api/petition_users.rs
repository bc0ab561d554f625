//! Açık Kapı desk users: administration within the province and the officers' login.
