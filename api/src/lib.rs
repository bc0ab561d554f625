//! Kapı's HTTP layer: authenticate, parse, call the domain use case in one transaction,
//! map the result. Handlers stay thin; rules live in the domain crates.

pub mod clock;
pub mod config;
pub mod extract;
pub mod idempotency;
pub mod jobs;
pub mod jwt;
pub mod middleware;
pub mod openapi;
pub mod precondition;
pub mod problem;
pub mod rate_limit;
pub mod routes;
pub mod state;
pub mod text_input;
pub mod webhooks;

use crate::config::{Config, Profile};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{web, App, HttpResponse};
use kapi_core::DomainError;
use kapi_persistence::{Db, DbSetupError};
use routes::{
    annual_surveys, applications, auth, dev, employers, health, institutions, integrators,
    job_postings, labour_demands, mass_layoffs, open311, open_jobs, petition_users, petitions,
    postings, reference, sectors, work_permit_after, work_permit_decisions, work_permit_employers,
    work_permits, workforce_charts,
};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

/// Builds the app and its OpenAPI document from one registration; the Swagger UI serves
/// that document.
#[allow(clippy::type_complexity)]
pub fn build_app(
    state: web::Data<AppState>,
) -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    build(state, None)
}

/// The app for `serve`: every worker serves the one OpenAPI document `spec` (JSON, made once
/// by [`openapi_json`]) instead of keeping its own copy of the document it registers; the
/// copy is dropped here. Per worker that is about 20 MB less resident memory.
#[allow(clippy::type_complexity)]
pub fn build_serving_app(
    state: web::Data<AppState>,
    spec: web::Bytes,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    build(state, Some(spec)).0
}

#[allow(clippy::type_complexity)]
fn build(
    state: web::Data<AppState>,
    spec: Option<web::Bytes>,
) -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let profile = state.profile;
    let mut api_v1 = scope::scope("/api/v1")
        .service(auth::citizen_login)
        .service(auth::staff_login)
        .service(auth::me)
        .service(auth::create_otp)
        .service(auth::verify_otp)
        .service(reference::list_provinces)
        .service(reference::get_province)
        .service(reference::list_districts)
        .service(reference::list_neighbourhoods)
        .service(reference::list_occupations)
        .service(reference::get_occupation)
        .service(reference::list_education_levels)
        .service(reference::list_employment_types)
        .service(reference::list_stage_kinds)
        .service(reference::list_countries)
        .service(reference::list_service_headings)
        .service(reference::list_detsis_units)
        .service(reference::get_detsis_unit)
        .service(reference::list_work_permit_fees)
        .service(reference::list_termination_reasons)
        .service(reference::list_work_permit_document_types)
        .service(institutions::list_institutions)
        .service(sectors::list_sectors)
        .service(sectors::get_sector)
        .service(sectors::create_sector)
        .service(sectors::update_sector)
        .service(sectors::delete_sector)
        .service(sectors::sector_history)
        .service(institutions::create_institution)
        .service(institutions::get_institution)
        .service(institutions::create_hr_account)
        .service(institutions::deactivate_hr_account)
        .service(institutions::activate_hr_account)
        .service(institutions::institution_history)
        .service(petition_users::create_petition_user)
        .service(petition_users::list_petition_users)
        .service(petition_users::export_petition_users)
        .service(petition_users::get_petition_user)
        .service(petition_users::update_petition_user)
        .service(petition_users::deactivate_petition_user)
        .service(petition_users::petition_user_history)
        .service(petition_users::create_petition_officer_otp)
        .service(petition_users::login_petition_officer)
        .service(employers::login_employer)
        .service(employers::create_employer)
        .service(employers::get_employer)
        .service(employers::list_workplaces)
        .service(employers::create_workplace)
        .service(employers::get_workplace)
        .service(employers::update_workplace)
        .service(employers::list_employer_users)
        .service(employers::add_employer_user)
        .service(employers::change_employer_user)
        .service(employers::employer_secret_question)
        .service(employers::reset_employer_password)
        .service(work_permit_employers::get_work_permit_employer_profile)
        .service(work_permit_employers::register_work_permit_employer)
        .service(work_permit_employers::list_work_permit_employers)
        .service(work_permit_employers::get_work_permit_employer)
        .service(work_permit_employers::list_work_permit_employer_users)
        .service(work_permit_employers::authorise_work_permit_employer_user)
        .service(work_permit_employers::revoke_work_permit_employer_user)
        .service(work_permit_employers::list_employer_work_permits)
        .service(work_permit_employers::list_running_work_permits)
        .service(work_permit_employers::upload_work_permit_employer_document)
        .service(work_permit_employers::get_work_permit_employer_document)
        .configure(integrators::routes)
        // Fixed paths before the `{id}` ones they would otherwise be taken for.
        .configure(work_permit_decisions::routes)
        .configure(work_permit_after::routes)
        .configure(work_permits::routes)
        .service(mass_layoffs::list_mass_layoffs)
        .service(mass_layoffs::create_mass_layoff)
        .service(mass_layoffs::get_mass_layoff)
        .service(mass_layoffs::update_mass_layoff)
        .service(mass_layoffs::mass_layoff_history)
        .service(workforce_charts::list_workforce_charts)
        .service(workforce_charts::new_workforce_chart)
        .service(workforce_charts::create_workforce_chart)
        .service(workforce_charts::get_workforce_chart)
        .service(workforce_charts::update_workforce_chart)
        .service(workforce_charts::workforce_chart_history)
        .service(workforce_charts::get_quota_status)
        .service(workforce_charts::read_personnel_form)
        .service(annual_surveys::list_annual_surveys)
        .service(annual_surveys::create_annual_survey)
        .service(annual_surveys::get_annual_survey)
        .service(annual_surveys::update_annual_survey)
        .service(labour_demands::create_labour_demand)
        .service(labour_demands::create_quick_labour_demand)
        .service(labour_demands::list_labour_demands)
        .service(labour_demands::get_labour_demand)
        .service(labour_demands::update_labour_demand)
        .service(labour_demands::close_labour_demand)
        .service(labour_demands::cancel_labour_demand)
        .service(labour_demands::labour_demand_history)
        .service(labour_demands::list_matches)
        .service(labour_demands::select_candidates)
        .service(labour_demands::list_candidates)
        .service(labour_demands::invite_candidate)
        .service(labour_demands::answer_invitation)
        .service(labour_demands::record_result)
        .service(labour_demands::get_report)
        .service(open_jobs::get_my_profile)
        .service(open_jobs::save_my_profile)
        .service(open_jobs::list_my_applications)
        .service(open_jobs::search_open_jobs)
        .service(open_jobs::get_open_job)
        .service(job_postings::get_open_job_job_posting)
        .service(open_jobs::apply_to_open_job)
        .service(petitions::check_identity)
        .service(petitions::query_petition)
        .service(petitions::verify_citizen)
        .service(petitions::list_petition_statuses)
        .service(petitions::get_form)
        .service(petitions::submit_petition)
        .service(petitions::enter_written_petition)
        .service(petitions::export_petitions)
        .service(petitions::list_petitions)
        .service(petitions::get_petition)
        .service(petitions::petition_history)
        .service(petitions::get_petition_file)
        .service(petitions::get_petition_report)
        .service(petitions::update_headings)
        .service(petitions::route_petition)
        .service(petitions::answer_petition)
        .service(petitions::send_to_governor)
        .service(petitions::governor_answer)
        .service(petitions::send_back)
        .service(petitions::reset_petition)
        .service(petitions::close_petition)
        .service(postings::create_posting)
        .service(postings::list_postings)
        .service(postings::get_posting)
        .service(job_postings::get_posting_job_posting)
        .service(postings::update_posting)
        .service(postings::publish_posting)
        .service(postings::cancel_posting)
        .service(postings::posting_history)
        .service(applications::start_application)
        .service(applications::list_posting_applications)
        .service(applications::approve_applications)
        .service(applications::invite_to_stage)
        .service(applications::record_stage_results)
        .service(applications::approve_stage_results)
        .service(applications::publish_placement)
        .service(applications::get_placement)
        .service(applications::list_my_applications)
        .service(applications::list_exam_invitations)
        .service(applications::get_application)
        .service(applications::application_history)
        .service(applications::accept_posting_text)
        .service(applications::choose_sub_posting)
        .service(applications::accept_sub_posting_text)
        .service(applications::save_declarations)
        .service(applications::submit_application)
        .service(applications::cancel_application)
        .service(applications::approve_application);
    if profile == Profile::Dev {
        api_v1 = api_v1
            .service(dev::list_outbox)
            .service(dev::get_clock)
            .service(dev::set_clock)
            .service(dev::reset_clock);
    }
    let (app, mut api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .app_data(state)
        .app_data(web::PathConfig::default().error_handler(|e, _| {
            ApiError::Domain(DomainError::not_found(
                "not_found",
                format!("No such resource: {e}"),
            ))
            .into()
        }))
        .service(health::live)
        .service(health::ready)
        .service(api_v1)
        .service(
            scope::scope("/open311/v2")
                .service(open311::discovery)
                .service(open311::list_services)
                .service(open311::get_service)
                .service(open311::list_requests)
                .service(open311::create_request)
                .service(open311::get_request)
                .service(open311::get_token),
        )
        .split_for_parts();
    openapi::add_common_responses(&mut api);
    openapi::add_idempotency(&mut api);
    openapi::finish(&mut api, profile);
    let app = match spec {
        None => app.service(
            SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", api.clone()),
        ),
        Some(json) => app
            .service(
                SwaggerUi::new("/swagger-ui/{_:.*}")
                    .config(utoipa_swagger_ui::Config::from("/api-docs/openapi.json")),
            )
            .route(
                "/api-docs/openapi.json",
                web::get().to(move || {
                    let json = json.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .body(json)
                    }
                }),
            ),
    };
    let app = app
        .route(
            "/swagger-ui",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header(("Location", "/swagger-ui/"))
                    .finish()
            }),
        )
        .default_service(web::to(|req: actix_web::HttpRequest| async move {
            // Open311 clients get Open311 errors, also for what no route takes (405, 404).
            if req.path().starts_with("/open311/") {
                return Err::<HttpResponse, actix_web::Error>(open311::unmatched(&req).into());
            }
            Err(ApiError::http(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("No route for {} {}.", req.method(), req.path()),
            )
            .into())
        }))
        .wrap(actix_web::middleware::from_fn(
            precondition::lost_race_is_a_conflict,
        ))
        .wrap(actix_web::middleware::from_fn(idempotency::idempotency))
        .wrap(actix_web::middleware::from_fn(
            text_input::refuse_control_characters,
        ))
        .wrap(actix_web::middleware::from_fn(middleware::limit_body))
        .wrap(actix_web::middleware::from_fn(middleware::request_context));
    (app, api)
}

/// The OpenAPI document as served by `profile` (built without a database).
pub fn openapi_json(profile: Profile) -> Result<String, String> {
    let db = Db::connect(":memory:", 1).map_err(|e| e.to_string())?;
    let mut config = Config::for_database(":memory:");
    config.profile = profile;
    let state = web::Data::new(AppState::new(
        db,
        &config,
        jwt::JwtKeys::new(config::DEV_JWT_SECRET, config.jwt_ttl),
    ));
    let (_, api) = build_app(state);
    api.to_pretty_json().map_err(|e| e.to_string())
}

/// Connects, migrates, loads reference data (and demo data in `dev`): everything before serving.
pub fn prepare_database(config: &Config) -> Result<Db, DbSetupError> {
    let db = Db::connect_with(&config.database_url, config.db_options())?;
    let applied = db.migrate()?;
    for m in &applied {
        log::info!("applied migration {m}");
    }
    let now = time::OffsetDateTime::now_utc();
    let reports = db
        .write(|c| kapi_persistence::reference::load_reference(c, now))
        .map_err(|e| DbSetupError::Seed(e.to_string()))?;
    for r in reports.iter().filter(|r| !r.skipped) {
        log::info!(
            "reference data {}: {} inserted, {} updated",
            r.dataset,
            r.inserted,
            r.updated
        );
    }
    // The demo password's argon2 hash (19 MB of work memory) only when the demo is to be loaded.
    let demo_loaded = db
        .read(kapi_persistence::demo::demo_loaded)
        .map_err(|e| DbSetupError::Seed(e.to_string()))?;
    if config.profile == Profile::Dev && !demo_loaded {
        let hash = kapi_identity::password::hash_password(kapi_persistence::demo::DEMO_PASSWORD)
            .map_err(|e| DbSetupError::Seed(e.to_string()))?;
        let loaded = db
            .write(|c| kapi_persistence::demo::load_demo(c, &hash, now))
            .map_err(|e| DbSetupError::Seed(e.to_string()))?;
        if loaded {
            log::info!("demo data loaded (dev profile)");
        }
    }
    Ok(db)
}
