//! Authentication: citizen login through (simulated) e-Devlet, staff login, who-am-I, and
//! one-time codes to verify a mobile number or e-mail address.

use crate::extract::{path_id, Authenticated, JsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::rate_limit::{self, Bucket};
use crate::state::{read, write, AppState};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kapi_core::{Actor, DomainError, Email, MobilePhone, OtpChallengeId, Tckn};
use kapi_identity::login::{login_citizen, login_staff};
use kapi_identity::otp::{issue_code, verify_code, Channel, OtpChallenge, OtpCode, Purpose};
use kapi_identity::registry::CitizenRegistry;
use kapi_persistence::identity::IdentityRepo;
use kapi_persistence::DbConnection;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// Sends a one-time code to `destination` in one transaction with `check` (which may refuse
/// first, e.g. "no such user"): the flows that prove a mobile or e-mail all go through here.
/// Besides the limit per destination, codes are counted per caller (`subject`) and per
/// client address in the same transaction: a refused code is neither sent nor counted.
pub(crate) async fn send_code<T: Send + 'static>(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    channel: Channel,
    destination: String,
    purpose: Purpose,
    subject: String,
    check: impl FnOnce(&mut DbConnection) -> Result<T, DomainError> + Send + 'static,
) -> ApiResult<(OtpChallenge, T)> {
    let clock = state.clock.clone();
    let policy = state.otp;
    let ip = rate_limit::client_ip(req, state.trust_forwarded_for);
    let (per_caller, per_address) = (state.otp_caller_limit, state.otp_address_limit);
    let code = OtpCode::from_random(rand::random::<u32>());
    write(state, move |conn| {
        let checked = check(conn)?;
        // Each count reads the clock once it holds its lock (see `issue_code`).
        let c = issue_code(
            &mut IdentityRepo::new(conn),
            &policy,
            channel,
            &destination,
            purpose,
            &subject,
            code,
            || clock.now(),
        )?;
        rate_limit::count_in(conn, Bucket::OtpCaller, &subject, per_caller, || {
            clock.now()
        })?;
        rate_limit::count_in(conn, Bucket::OtpAddress, &ip, per_address, || clock.now())?;
        Ok((c, checked))
    })
    .await
}

/// Checks a typed code issued to `subject` for one of `purposes`, then runs `then` in the
/// same transaction. A wrong code must still count as a try, so the attempt is committed
/// even when the answer is an error: failures are returned after the commit.
pub(crate) async fn check_code<T: Send + 'static>(
    state: &web::Data<AppState>,
    id: OtpChallengeId,
    subject: String,
    code: OtpCode,
    purposes: &'static [Purpose],
    then: impl FnOnce(&mut DbConnection, &OtpChallenge) -> Result<T, DomainError> + Send + 'static,
) -> ApiResult<T> {
    let now = state.clock.now();
    let policy = state.otp;
    let outcome = write(state, move |conn| {
        Ok(
            match verify_code(
                &mut IdentityRepo::new(conn),
                &policy,
                id,
                &subject,
                &code,
                now,
            ) {
                Ok(c) if purposes.contains(&c.purpose) => then(conn, &c),
                Ok(_) => Err(DomainError::not_found(
                    "otp.not_found",
                    "No such code challenge.",
                )),
                Err(e) => Err(e),
            },
        )
    })
    .await?;
    outcome.map_err(ApiError::from)
}

/// Citizen login through the simulated e-Devlet gateway.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CitizenLoginRequest {
    /// T.C. kimlik no (11 digits, checksum verified).
    #[schema(example = "10000000146", pattern = "^[1-9][0-9]{10}$")]
    pub tckn: String,
    /// e-Devlet password.
    #[schema(example = "Kapi2026")]
    pub password: String,
}

/// Staff login (institution HR, İŞKUR staff, ministry evaluator, administrators).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffLoginRequest {
    #[schema(example = "admin")]
    pub username: String,
    #[schema(example = "Kapi2026")]
    pub password: String,
}

/// Who the token speaks for.
#[derive(Serialize, ToSchema)]
pub struct ActorView {
    /// `citizen`, `employer_user`, `institution_staff`, `iskur_staff`, `ministry_staff`,
    /// `desk_officer`, `unit_officer`, `civil_authority`, `province_admin`, `system_admin`.
    #[schema(example = "citizen")]
    pub kind: String,
    /// Non-personal label (identity numbers masked).
    #[schema(example = "citizen:*********46")]
    pub label: String,
    /// The actor's scope (institution, province, districts, units, permissions, …).
    #[schema(value_type = ActorScope)]
    pub scope: serde_json::Value,
}

/// What an actor is limited to: the fields present depend on the actor's `kind`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ActorScope {
    /// The person's T.C. identity number (citizens, employer users, desk and unit officers).
    tckn: Option<String>,
    /// A staff account (institution, İŞKUR, ministry staff, civil authority, province and
    /// system administrators).
    account_id: Option<uuid::Uuid>,
    /// The employer an employer user acts for.
    employer_id: Option<uuid::Uuid>,
    /// The workplace an employer user is bound to, if any.
    workplace_id: Option<uuid::Uuid>,
    /// An employer user's permission flags.
    permissions: Option<ActorPermissions>,
    /// An institution's HR staff: the institution.
    institution_id: Option<uuid::Uuid>,
    /// Province plate code (İŞKUR staff limited to one, desk and unit officers, civil
    /// authority, province administrators).
    #[schema(minimum = 1, maximum = 81)]
    province: Option<u8>,
    /// A desk officer's districts (empty: the whole province).
    districts: Option<Vec<i32>>,
    /// A unit officer's DETSİS units.
    units: Option<Vec<String>>,
}

/// An employer user's permission flags (İŞKUR §2.1.7).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ActorPermissions {
    admin: bool,
    labour_demand: bool,
    workforce_chart: bool,
    mass_layoff: bool,
    reports: bool,
    user_admin: bool,
}

impl ActorView {
    pub fn of(actor: &Actor) -> Self {
        let mut scope = serde_json::to_value(actor).unwrap_or_default();
        if let Some(obj) = scope.as_object_mut() {
            obj.remove("kind");
        }
        ActorView {
            kind: actor.kind().as_str().to_owned(),
            label: actor.audit_label(),
            scope,
        }
    }
}

/// An issued access token.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until expiry.
    #[schema(example = 3600)]
    pub expires_in: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// The person's name as the registry or account holds it.
    pub display_name: String,
    pub actor: ActorView,
}

pub(crate) fn token_response(
    state: &AppState,
    actor: &Actor,
    display_name: String,
) -> ApiResult<TokenResponse> {
    let issued = state.jwt.issue(actor, state.clock.now())?;
    Ok(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
        expires_at: issued.expires_at,
        display_name,
        actor: ActorView::of(actor),
    })
}

/// Log in as a citizen (simulated e-Devlet: TCKN + e-Devlet password).
#[utoipa::path(
    operation_id = "login_citizen",
    tag = "auth",
    request_body = CitizenLoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong TCKN or password (`auth.invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN (`tckn.checksum`, …)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/e-devlet/login")]
pub async fn citizen_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<CitizenLoginRequest>,
) -> ApiResult<HttpResponse> {
    let attempt = rate_limit::login(&state, &req, &body.0.tckn).await?;
    let body = body.0;
    let answer = async {
        let tckn = Tckn::parse(&body.tckn).map_err(|e| e.at("tckn"))?;
        let (actor, name) = read(&state, move |conn| {
            let mut repo = IdentityRepo::new(conn);
            let actor = login_citizen(&mut repo, &tckn, &body.password)?;
            let c = repo
                .find_citizen(&tckn)?
                .ok_or_else(|| DomainError::internal("citizen vanished during login"))?;
            Ok((actor, format!("{} {}", c.first_name, c.last_name)))
        })
        .await?;
        token_response(&state, &actor, name)
    }
    .await;
    let token = attempt.settle(&state, answer).await?;
    Ok(HttpResponse::Ok().json(token))
}

/// Log in with a staff account (user name + password).
#[utoipa::path(
    operation_id = "login_staff",
    tag = "auth",
    request_body = StaffLoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong user name or password (`auth.invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account not active (`auth.account_inactive`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/staff/login")]
pub async fn staff_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<StaffLoginRequest>,
) -> ApiResult<HttpResponse> {
    let attempt = rate_limit::login(&state, &req, &body.0.username).await?;
    let body = body.0;
    let answer = async {
        let (account, actor) = read(&state, move |conn| {
            login_staff(&mut IdentityRepo::new(conn), &body.username, &body.password)
        })
        .await?;
        token_response(&state, &actor, account.display_name)
    }
    .await;
    let token = attempt.settle(&state, answer).await?;
    Ok(HttpResponse::Ok().json(token))
}

/// A contact the caller has proven they own.
#[derive(Serialize, ToSchema)]
pub struct VerifiedContact {
    #[schema(example = "sms")]
    pub channel: String,
    #[schema(example = "5321000001")]
    pub destination: String,
    #[serde(with = "time::serde::rfc3339")]
    pub verified_at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub actor: ActorView,
    pub verified_contacts: Vec<VerifiedContact>,
}

/// The caller behind the token, with the contacts they have verified.
#[utoipa::path(
    operation_id = "get_me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = MeResponse),
        (status = 401, description = "No, invalid or expired token", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/auth/me")]
pub async fn me(state: web::Data<AppState>, auth: Authenticated) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    let subject = actor.subject();
    let contacts = read(&state, move |conn| {
        IdentityRepo::new(conn).verified_contacts(&subject)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MeResponse {
        actor: ActorView::of(&actor),
        verified_contacts: contacts
            .into_iter()
            .map(|(channel, destination, verified_at)| VerifiedContact {
                channel,
                destination,
                verified_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum OtpChannel {
    Sms,
    Email,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum OtpPurpose {
    /// Prove ownership of a mobile number or e-mail address.
    ContactVerification,
}

/// Ask for a one-time code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpRequest {
    pub channel: OtpChannel,
    /// A Turkish mobile number (`sms`) or an e-mail address (`email`).
    #[schema(example = "05321000001")]
    pub destination: String,
    pub purpose: OtpPurpose,
}

/// A code was sent.
#[derive(Serialize, ToSchema)]
pub struct OtpChallengeView {
    pub id: uuid::Uuid,
    pub channel: String,
    /// Where it went, masked.
    #[schema(example = "******0001")]
    pub destination: String,
    pub purpose: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpVerifyRequest {
    /// The 6-digit code.
    #[schema(example = "123456", pattern = "^[0-9]{6}$")]
    pub code: String,
}

fn mask_email(e: &str) -> String {
    match e.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// Send a one-time code.
///
/// Send a one-time code (6 digits, 3 minutes, 5 tries; at most 3 per destination in 10 minutes,
/// and a configured number per caller and per client address).
/// In the `dev` profile the message can be read at `GET /api/v1/dev/outbox`.
#[utoipa::path(
    operation_id = "create_otp_challenge",
    tag = "auth",
    security(("bearer" = [])),
    request_body = OtpRequest,
    responses(
        (status = 201, description = "Code sent", body = OtpChallengeView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid destination (`phone.format`, `email.format`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes to this destination (`otp.rate_limited`), or for this caller or from this address (`request.rate_limited`); with Retry-After in seconds", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/otp")]
pub async fn create_otp(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
    body: JsonBody<OtpRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let (channel, destination, masked) = match body.channel {
        OtpChannel::Sms => {
            let m = MobilePhone::parse(&body.destination).map_err(|e| e.at("destination"))?;
            (Channel::Sms, m.as_str().to_owned(), m.masked())
        }
        OtpChannel::Email => {
            let e = Email::parse(&body.destination).map_err(|e| e.at("destination"))?;
            (
                Channel::Email,
                e.as_str().to_owned(),
                mask_email(e.as_str()),
            )
        }
    };
    let purpose = match body.purpose {
        OtpPurpose::ContactVerification => Purpose::ContactVerification,
    };
    let (c, ()) = send_code(
        &state,
        &req,
        channel,
        destination,
        purpose,
        auth.0.subject(),
        |_| Ok(()),
    )
    .await?;
    Ok(HttpResponse::Created().json(OtpChallengeView {
        id: c.id.as_uuid(),
        channel: c.channel.as_str().into(),
        destination: masked,
        purpose: c.purpose.as_str().into(),
        expires_at: c.expires_at,
    }))
}

/// Check a one-time code; on success the contact counts as verified for the caller.
#[utoipa::path(
    operation_id = "verify_otp_challenge",
    tag = "auth",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Challenge id")),
    request_body = OtpVerifyRequest,
    responses(
        (status = 200, description = "Verified", body = VerifiedContact),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such challenge for this caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already used (`otp.already_used`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong (`otp.wrong_code`), expired (`otp.expired`) or exhausted (`otp.too_many_attempts`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/otp/{id}/verify")]
pub async fn verify_otp(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<OtpVerifyRequest>,
) -> ApiResult<HttpResponse> {
    let id: OtpChallengeId = path_id(&id, "otp.not_found")?;
    let code = OtpCode::parse(&body.0.code)?;
    let subject = auth.0.subject();
    let now = state.clock.now();
    let c = check_code(
        &state,
        id,
        subject.clone(),
        code,
        &[Purpose::ContactVerification],
        move |conn, c| {
            IdentityRepo::new(conn).record_verified_contact(
                &subject,
                c.channel,
                &c.destination,
                now,
            )?;
            Ok(c.clone())
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(VerifiedContact {
        channel: c.channel.as_str().into(),
        destination: c.destination,
        verified_at: now,
    }))
}
