use super::*;
use crate::usecases::tests::{code, desk, form, setup, Fake, AYSE, NOW};
use crate::usecases::{
    answer_petition, close_petition, route_petition, Submission, UnitAnswerInput,
};
use crate::workflow::{Outcome, UnitOutcome};
use kapi_core::{Actor, SectorId};
use time::macros::{date, datetime};

impl PublicRequestStore for Fake {
    fn published(&mut self, f: &RequestFilter) -> Result<Vec<Published>, DomainError> {
        let mut v: Vec<Published> = self
            .petitions
            .values()
            .filter(|p| {
                if !f.ids.is_empty() {
                    return f.ids.contains(&p.tracking_no);
                }
                (f.from..=f.to).contains(&p.submitted_at)
                    && (f.statuses.is_empty()
                        || f.statuses.contains(&PublicStatus::of(p.workflow.status)))
                    && (f.service_codes.is_empty()
                        || f.service_codes.contains(&p.headings[0].sub_heading_code))
            })
            .map(|p| Published {
                petition: p.clone(),
                updated_at: p.submitted_at + Duration::minutes(p.version),
            })
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.petition.tracking_no));
        v.truncate(f.limit);
        Ok(v)
    }
    fn published_by_tracking_no(&mut self, no: i64) -> Result<Option<Published>, DomainError> {
        Ok(self.by_tracking_no(no)?.map(|p| Published {
            updated_at: p.submitted_at,
            petition: p,
        }))
    }
    fn published_by_id(&mut self, id: PetitionId) -> Result<Option<Published>, DomainError> {
        Ok(self.get(id)?.map(|p| Published {
            updated_at: p.submitted_at,
            petition: p,
        }))
    }
}

fn integrator() -> Integrator {
    Integrator {
        id: "0190aaaa-0000-7000-8000-000000000001".into(),
        name: "Belediye Mobil".into(),
    }
}

fn claim() -> IdentityClaim {
    IdentityClaim {
        tckn: Tckn::parse(AYSE).unwrap(),
        first_name: "AYŞE".into(),
        last_name: "yılmaz".into(),
        mother_maiden_first_letter: "k".into(),
        mother_maiden_last_letter: "A".into(),
        mobile: MobilePhone::parse("5321000001").unwrap(),
    }
}

fn input(sector: SectorId, service: &str) -> RequestInput {
    let f = form(sector, 6007);
    RequestInput {
        service_code: service.into(),
        heading_description: None,
        subject_address: f.subject_address,
        email: Some("ayse@example.com".into()),
        education_level: "bachelor".into(),
        sector_id: sector.to_string(),
        description: "Okulun bahçe duvarı yıkılmak üzere, onarılmasını istiyorum.".into(),
    }
}

fn fake() -> (Fake, SectorId) {
    let s = SectorId::new();
    (
        Fake {
            sector: Some(s),
            ..Fake::default()
        },
        s,
    )
}

#[test]
fn a_request_becomes_a_petition_through_the_citizen_pipeline() {
    let (mut f, sector) = fake();
    let p = submit_request(
        &mut f,
        &integrator(),
        &claim(),
        input(sector, "H01.04"),
        NOW,
    )
    .unwrap();
    assert_eq!(p.tracking_no, 1001);
    assert_eq!(p.channel, Channel::Integrator);
    assert_eq!(p.petitioner.first_name, "Ayşe", "the registry's spelling");
    assert_eq!(p.contact.mobile.as_deref(), Some("5321000001"));
    assert_eq!(p.headings[0].heading_code, "H01");
    assert_eq!(p.headings[0].sub_heading_code, "H01.04");
    assert_eq!(p.workflow.status, Status::InPool);
    assert_eq!(
        p.entered_by.as_deref(),
        Some("integrator:0190aaaa-0000-7000-8000-000000000001")
    );
    assert_eq!(p.arrival_date, date!(2026 - 03 - 02));
    let h = &f.history[0];
    assert_eq!(h.actor, "integrator:0190aaaa-0000-7000-8000-000000000001");
    assert_eq!(
        h.note.as_deref(),
        Some("Başvuru Açık Kapı Birim Havuzunda (Open311: Belediye Mobil)")
    );
    assert!(
        f.sms[0].body.contains("1001"),
        "the citizen gets the number"
    );
    assert_eq!(token_of(&p), Some(p.id.to_string()));
    assert!(service_notice(&p).contains("Ankara Valiliği Açık Kapı Bürosu"));
}

#[test]
fn identity_service_and_form_are_checked_and_nothing_is_saved_on_refusal() {
    let (mut f, sector) = fake();
    let mut wrong = claim();
    wrong.mother_maiden_last_letter = "E".into();
    let e =
        submit_request(&mut f, &integrator(), &wrong, input(sector, "H01.04"), NOW).unwrap_err();
    assert_eq!(e.code, "petition.identity_mismatch");
    let mut other_mobile = claim();
    other_mobile.mobile = MobilePhone::parse("5329999999").unwrap();
    let e = submit_request(
        &mut f,
        &integrator(),
        &other_mobile,
        input(sector, "H01.04"),
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.code, "petition.identity_mismatch");
    for unknown in ["H99.01", "H01", ""] {
        let e = submit_request(&mut f, &integrator(), &claim(), input(sector, unknown), NOW)
            .unwrap_err();
        assert_eq!(e.code, "open311.service_not_found", "{unknown}");
    }
    let e = submit_request(
        &mut f,
        &integrator(),
        &claim(),
        input(sector, "DIGER.01"),
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.fields[0].field, "headings[0].description");
    let mut bad = input(sector, "H01.04");
    bad.description = "kısa".into();
    bad.education_level = "phd".into();
    let e = submit_request(&mut f, &integrator(), &claim(), bad, NOW).unwrap_err();
    let fields: Vec<&str> = e.fields.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(fields, ["education_level", "subject"]);
    assert!(f.petitions.is_empty() && f.history.is_empty() && f.sms.is_empty());
    let mut other = input(sector, "DIGER.01");
    other.heading_description = Some("Sokak hayvanları".into());
    assert!(submit_request(&mut f, &integrator(), &claim(), other, NOW).is_ok());
}

fn q(start: Option<&str>, end: Option<&str>) -> RequestQuery {
    RequestQuery {
        start_date: start.map(Into::into),
        end_date: end.map(Into::into),
        ..RequestQuery::default()
    }
}

fn field_codes(e: DomainError) -> Vec<(String, String)> {
    e.fields
        .into_iter()
        .map(|f| (f.field, f.code.into_owned()))
        .collect()
}

#[test]
fn the_window_is_ninety_days_at_most_and_the_last_ninety_by_default() {
    let f = request_filter(&RequestQuery::default(), NOW).unwrap();
    assert_eq!((f.from, f.to), (NOW - Duration::days(90), NOW));
    assert_eq!(f.limit, MAX_REQUESTS);
    // Exactly 90 days is allowed; one second more is not.
    let f = request_filter(
        &q(Some("2026-01-01T00:00:00Z"), Some("2026-04-01T00:00:00Z")),
        NOW,
    )
    .unwrap();
    assert_eq!(f.to - f.from, Duration::days(90));
    let e = request_filter(
        &q(Some("2026-01-01T00:00:00Z"), Some("2026-04-01T00:00:01Z")),
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        field_codes(e),
        [("end_date".into(), "open311.window_too_long".into())]
    );
    let e = request_filter(&q(Some("2026-02-01"), Some("2026-01-31")), NOW).unwrap_err();
    assert_eq!(
        field_codes(e),
        [("end_date".into(), "open311.window_reversed".into())]
    );
    // Civil dates are Istanbul days, whole.
    let f = request_filter(&q(Some("2026-03-01"), Some("2026-03-01")), NOW).unwrap();
    assert_eq!(f.from, datetime!(2026-02-28 21:00 UTC));
    assert_eq!(f.to, end_of_istanbul_day(date!(2026 - 03 - 01)));
    // One side given: 90 days from it.
    let f = request_filter(&q(Some("2026-01-01T00:00:00+03:00"), None), NOW).unwrap();
    assert_eq!(f.to, datetime!(2026-04-01 00:00 +03:00));
    let f = request_filter(&q(None, Some("2026-04-01T00:00:00+03:00")), NOW).unwrap();
    assert_eq!(f.from, datetime!(2026-01-01 00:00 +03:00));
    let e = request_filter(&q(Some("0001-01-01"), Some("9999-12-31T23:59:59Z")), NOW).unwrap_err();
    assert_eq!(
        field_codes(e),
        [
            ("start_date".into(), "datetime.out_of_range".into()),
            ("end_date".into(), "datetime.out_of_range".into())
        ]
    );
    let e = request_filter(&q(Some("01.03.2026"), Some("yesterday")), NOW).unwrap_err();
    assert_eq!(
        field_codes(e),
        [
            ("start_date".into(), "datetime.format".into()),
            ("end_date".into(), "datetime.format".into())
        ]
    );
}

#[test]
fn ids_statuses_and_services_are_comma_lists() {
    let f = request_filter(
        &RequestQuery {
            service_request_id: Some("1001, 1002,,".into()),
            service_code: Some("H01.04,H02.01".into()),
            status: Some("open,closed,open".into()),
            ..RequestQuery::default()
        },
        NOW,
    )
    .unwrap();
    assert_eq!(f.ids, [1001, 1002]);
    assert_eq!(f.service_codes, ["H01.04", "H02.01"]);
    assert_eq!(f.statuses, [PublicStatus::Open, PublicStatus::Closed]);
    let e = request_filter(
        &RequestQuery {
            service_request_id: Some("1001,abc,-3".into()),
            status: Some("pending".into()),
            ..RequestQuery::default()
        },
        NOW,
    )
    .unwrap_err();
    let codes: Vec<String> = e.fields.iter().map(|f| f.code.to_string()).collect();
    assert_eq!(
        codes,
        [
            "open311.bad_request_id",
            "open311.bad_request_id",
            "open311.unknown_status"
        ]
    );
}

#[test]
fn the_public_face_follows_the_workflow_and_shows_nothing_personal() {
    let (mut f, p) = setup();
    let aks = desk(vec![], 6);
    let r = get_request(&mut f, "1001").unwrap();
    assert_eq!(r.status, PublicStatus::Open);
    assert_eq!(r.status_notes, "Başvuru Açık Kapı Birim Havuzunda");
    assert_eq!(r.agency_responsible, "Ankara Valiliği Açık Kapı Bürosu");
    assert_eq!(r.address, "Çankaya, Ankara");
    assert_eq!(
        (r.service_code.as_str(), r.service_name.as_str()),
        ("H01.04", "Okul binası")
    );
    assert_eq!(r.expected_at, None);
    assert_eq!(r.requested_at, p.submitted_at);
    let shown = format!("{r:?}");
    for personal in [
        AYSE,
        "Ayşe",
        "Yılmaz",
        "5321000001",
        "Cumhuriyet Cad",
        "bahçe duvarı",
    ] {
        assert!(!shown.contains(personal), "{personal} in {shown}");
    }

    route_petition(
        &mut f,
        &aks,
        p.id,
        vec!["55481037".into(), "30005480".into()],
        Some(date!(2026 - 03 - 20)),
        None,
        NOW,
    )
    .unwrap();
    let r = get_request(&mut f, "1001").unwrap();
    assert_eq!(r.status_notes, "Başvuru İlgili Birime Yönlendirildi");
    assert_eq!(
        r.agency_responsible,
        "Ankara İl Milli Eğitim Müdürlüğü; Ankara İl Sağlık Müdürlüğü"
    );
    assert_eq!(r.expected_at, Some(datetime!(2026-03-20 23:59:59 +03:00)));

    // Both units answer, the desk closes: closed, with the outcome.
    for u in ["55481037", "30005480"] {
        let officer = Actor::UnitOfficer {
            tckn: Tckn::parse("23456789060").unwrap(),
            province: kapi_core::ProvinceCode::new(6).unwrap(),
            units: vec![u.into()],
        };
        let answer = UnitAnswerInput {
            unit: None,
            outcome: UnitOutcome::Negative,
            text: "Birimimizce incelenmiştir.".into(),
            files: vec![],
        };
        answer_petition(&mut f, &officer, p.id, answer, NOW).unwrap();
    }
    assert_eq!(
        get_request(&mut f, "1001").unwrap().expected_at,
        None,
        "all answered"
    );
    close_petition(
        &mut f,
        &aks,
        p.id,
        Outcome::Negative,
        "Yapılacak bir işlem yoktur.",
        None,
        NOW,
    )
    .unwrap();
    let r = get_request(&mut f, "1001").unwrap();
    assert_eq!(r.status, PublicStatus::Closed);
    assert_eq!(r.status_notes, "Başvuru Olumsuz Kapatıldı");
    assert_eq!(r.agency_responsible, "Ankara Valiliği Açık Kapı Bürosu");
    assert_eq!(r.expected_at, None);
    assert!(
        !format!("{r:?}").contains("Yapılacak"),
        "the reply is not published"
    );

    for bad in ["9999", "abc", "0", "-1001"] {
        assert_eq!(
            code(get_request(&mut f, bad).unwrap_err()),
            "open311.request_not_found"
        );
    }
}

#[test]
fn lists_filter_by_status_and_service_and_tokens_are_for_integrator_requests_only() {
    let (mut f, online) = setup();
    let sector = f.sector.unwrap();
    let sent = submit_request(
        &mut f,
        &integrator(),
        &claim(),
        input(sector, "H01.04"),
        NOW,
    )
    .unwrap();
    let citizen = Actor::PetitionCitizen {
        tckn: Tckn::parse(AYSE).unwrap(),
    };
    let mut other = form(sector, 6007);
    other.headings[0].heading_code = "DIGER".into();
    other.headings[0].sub_heading_code = "DIGER.01".into();
    other.headings[0].description = Some("Başka bir konu".into());
    crate::usecases::submit_petition(
        &mut f,
        &citizen,
        Submission {
            form: other,
            files: vec![],
        },
        NOW,
    )
    .unwrap();
    let all = request_filter(&RequestQuery::default(), NOW + Duration::hours(1)).unwrap();
    let nos = |f: &mut Fake, flt: &RequestFilter| -> Vec<i64> {
        list_requests(f, flt)
            .unwrap()
            .iter()
            .map(|r| r.tracking_no)
            .collect()
    };
    assert_eq!(nos(&mut f, &all), [1003, 1002, 1001]);
    let mut by_service = all.clone();
    by_service.service_codes = vec!["DIGER.01".into()];
    assert_eq!(nos(&mut f, &by_service), [1003]);
    let mut closed = all.clone();
    closed.statuses = vec![PublicStatus::Closed];
    assert_eq!(nos(&mut f, &closed), Vec::<i64>::new());

    assert_eq!(
        resolve_token(&mut f, &sent.id.to_string()).unwrap(),
        sent.tracking_no
    );
    assert_eq!(
        code(resolve_token(&mut f, &online.id.to_string()).unwrap_err()),
        "open311.token_not_found",
        "a citizen's own petition has no token"
    );
    assert_eq!(
        code(resolve_token(&mut f, "nope").unwrap_err()),
        "open311.token_not_found"
    );
}
