//! Password hashing with argon2id (PHC strings, salted, parameters in the hash).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use kapi_core::DomainError;

/// Hashes a password into a PHC string (`$argon2id$v=19$…`).
pub fn hash_password(password: &str) -> Result<String, DomainError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as a real verification, so an unknown user name answers as slowly
/// as a wrong password and the timing does not tell which accounts exist.
pub fn burn_verification(password: &str) {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9aGvQHxV7m5ykBjKk1f7W8E4l5vTqWbN2JjR0pX9T7k";
    let _ = verify_password(DUMMY, password);
}

/// The rules a new password must meet: 8–128 characters with a letter and a digit.
pub fn check_password_strength(password: &str) -> Result<(), kapi_core::FieldError> {
    let n = password.chars().count();
    if !(8..=128).contains(&n)
        || !password.chars().any(char::is_alphabetic)
        || !password.chars().any(|c| c.is_ascii_digit())
    {
        return Err(kapi_core::FieldError::new(
            "password",
            "password.too_weak",
            "A password has 8–128 characters with at least one letter and one digit.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_password("Gizli123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "Gizli123"));
        assert!(!verify_password(&h, "gizli123"));
        assert!(!verify_password("not a hash", "Gizli123"));
        assert_ne!(hash_password("Gizli123").unwrap(), h, "salted");
    }

    #[test]
    fn strength() {
        assert!(check_password_strength("Gizli123").is_ok());
        for weak in ["short1", "abcdefgh", "12345678"] {
            assert_eq!(
                check_password_strength(weak).unwrap_err().code,
                "password.too_weak"
            );
        }
    }
}
