use super::*;
use crate::petition::{AddressInput, HeadingInput};
use kapi_core::{MobilePhone, ProvinceCode, SectorId, StaffAccountId};
use kapi_identity::registry::RegistryAddress;
use std::collections::HashMap;
use time::macros::{date, datetime};

pub(crate) const AYSE: &str = "10000000146";
pub(crate) const NOW: OffsetDateTime = datetime!(2026-03-02 10:00 +03:00);

#[derive(Default)]
pub(crate) struct Fake {
    pub(crate) petitions: HashMap<PetitionId, Petition>,
    pub(crate) history: Vec<HistoryEntry>,
    pub(crate) sms: Vec<OutgoingMessage>,
    pub(crate) counter: i64,
    pub(crate) sector: Option<SectorId>,
}

impl HistoryLog for Fake {
    fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
        self.history.push(e.clone());
        Ok(())
    }
    fn history(&mut self, _: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        Ok(self
            .history
            .iter()
            .filter(|e| e.resource_id == id)
            .cloned()
            .collect())
    }
}

impl Outbox for Fake {
    fn enqueue(&mut self, m: &OutgoingMessage) -> Result<(), DomainError> {
        self.sms.push(m.clone());
        Ok(())
    }
}

impl CitizenRegistry for Fake {
    fn find_citizen(&mut self, t: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        Ok((t.as_str() == AYSE).then(|| RegistryCitizen {
            tckn: t.clone(),
            first_name: "Ayşe".into(),
            last_name: "Yılmaz".into(),
            birth_date: date!(1985 - 04 - 12),
            mother_maiden_surname: "Kaya".into(),
            mobile: Some(MobilePhone::parse("5321000001").unwrap()),
            residence: RegistryAddress {
                province: ProvinceCode::new(6).unwrap(),
                district_code: 6007,
                neighbourhood: Some("Kızılay Mah.".into()),
                open_address: "Kızılay Mah. Demo Sok. No:1".into(),
            },
            edevlet_password_hash: None,
        }))
    }
}

impl PetitionReference for Fake {
    fn province_name(&mut self, code: u8) -> Result<Option<String>, DomainError> {
        Ok(match code {
            6 => Some("Ankara".into()),
            34 => Some("İstanbul".into()),
            _ => None,
        })
    }
    fn district(&mut self, code: i32) -> Result<Option<(u8, String)>, DomainError> {
        Ok(match code {
            6007 => Some((6, "Çankaya".into())),
            6017 => Some((6, "Keçiören".into())),
            34023 => Some((34, "Kadıköy".into())),
            _ => None,
        })
    }
    fn neighbourhood(&mut self, code: i32) -> Result<Option<(i32, String, String)>, DomainError> {
        Ok((code == 60070001).then(|| (6007, "100. Yıl".into(), "neighbourhood".into())))
    }
    fn heading(&mut self, code: &str) -> Result<Option<(Option<String>, String)>, DomainError> {
        Ok(match code {
            "H01" => Some((None, "Eğitim".into())),
            "H01.04" => Some((Some("H01".into()), "Okul binası".into())),
            "DIGER" => Some((None, "Diğer".into())),
            "DIGER.01" => Some((Some("DIGER".into()), "Diğer".into())),
            _ => None,
        })
    }
    fn education_level(&mut self, code: &str) -> Result<Option<String>, DomainError> {
        Ok((code == "bachelor").then(|| "Lisans".into()))
    }
    fn sector_name(&mut self, id: SectorId) -> Result<Option<String>, DomainError> {
        Ok((Some(id) == self.sector).then(|| "Eğitim".into()))
    }
    fn detsis_unit(&mut self, no: &str) -> Result<Option<(String, Option<u8>)>, DomainError> {
        Ok(match no {
            "55481037" => Some(("Ankara İl Milli Eğitim Müdürlüğü".into(), Some(6))),
            "30005480" => Some(("Ankara İl Sağlık Müdürlüğü".into(), Some(6))),
            "11111111" => Some(("İstanbul İl Sağlık Müdürlüğü".into(), Some(34))),
            _ => None,
        })
    }
}

impl PetitionStore for Fake {
    fn next_tracking_no(&mut self) -> Result<i64, DomainError> {
        self.counter += 1;
        Ok(1000 + self.counter)
    }
    fn insert(&mut self, p: &Petition) -> Result<(), DomainError> {
        self.petitions.insert(p.id, p.clone());
        Ok(())
    }
    fn get(&mut self, id: PetitionId) -> Result<Option<Petition>, DomainError> {
        Ok(self.petitions.get(&id).cloned())
    }
    fn by_tracking_no(&mut self, no: i64) -> Result<Option<Petition>, DomainError> {
        Ok(self
            .petitions
            .values()
            .find(|p| p.tracking_no == no)
            .cloned())
    }
    fn update(&mut self, p: &Petition, expected: i64) -> Result<bool, DomainError> {
        match self.petitions.get(&p.id) {
            Some(old) if old.version == expected => {
                self.petitions.insert(p.id, p.clone());
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn add_files(
        &mut self,
        _: PetitionId,
        _: &str,
        _: &[StoredFile],
        _: OffsetDateTime,
    ) -> Result<(), DomainError> {
        Ok(())
    }
    fn search(
        &mut self,
        q: &PetitionQuery,
        page: PageRequest,
    ) -> Result<Page<Petition>, DomainError> {
        let mut items: Vec<Petition> = self
            .petitions
            .values()
            .filter(|p| in_scope(&q.scope, p))
            .filter(|p| {
                q.criteria.overdue_on.is_none_or(|d| {
                    p.workflow.routings.iter().any(|r| {
                        q.scope.sees_routing(&r.unit_no) && r.answer.is_none() && r.deadline < d
                    })
                })
            })
            .filter(|p| {
                q.criteria
                    .tckn
                    .as_ref()
                    .is_none_or(|t| &p.petitioner.tckn == t)
            })
            .cloned()
            .collect();
        items.sort_by_key(|p| -p.tracking_no);
        let total = items.len() as u64;
        Ok(Page::new(items, page, total))
    }
}

pub(crate) fn form(sector: SectorId, district: i32) -> PetitionForm {
    PetitionForm {
        subject_address: AddressInput {
            same_as_residence: false,
            province: Some(6),
            district_code: Some(district),
            neighbourhood_code: Some(60070001),
            open_address: Some("Cumhuriyet Cad. No:5".into()),
        },
        mobile: Some("05321000001".into()),
        email: None,
        home_phone: None,
        headings: vec![HeadingInput {
            heading_code: "H01".into(),
            sub_heading_code: "H01.04".into(),
            description: None,
        }],
        education_level: "bachelor".into(),
        sector_id: sector.to_string(),
        subject: "Okulun bahçe duvarı yıkılmak üzere.".into(),
    }
}

pub(crate) fn setup() -> (Fake, Petition) {
    let mut f = Fake {
        sector: Some(SectorId::new()),
        ..Fake::default()
    };
    let citizen = Actor::PetitionCitizen {
        tckn: Tckn::parse(AYSE).unwrap(),
    };
    let s = f.sector.unwrap();
    let p = submit_petition(
        &mut f,
        &citizen,
        Submission {
            form: form(s, 6007),
            files: vec![],
        },
        NOW,
    )
    .unwrap();
    (f, p)
}

pub(crate) fn desk(districts: Vec<i32>, province: i64) -> Actor {
    Actor::DeskOfficer {
        tckn: Tckn::parse("12345678950").unwrap(),
        province: ProvinceCode::new(province).unwrap(),
        districts,
    }
}

fn unit(units: &[&str]) -> Actor {
    Actor::UnitOfficer {
        tckn: Tckn::parse("23456789060").unwrap(),
        province: ProvinceCode::new(6).unwrap(),
        units: units.iter().map(|u| (*u).to_owned()).collect(),
    }
}

fn mia(province: i64) -> Actor {
    Actor::CivilAuthority {
        account_id: StaffAccountId::new(),
        province: ProvinceCode::new(province).unwrap(),
    }
}

pub(crate) fn code(e: DomainError) -> String {
    e.fields
        .first()
        .map(|f| f.code.to_string())
        .unwrap_or_else(|| e.code.into_owned())
}

#[test]
fn submission_numbers_tells_by_sms_and_records_the_pool() {
    let (f, p) = setup();
    assert_eq!(p.tracking_no, 1001);
    assert_eq!(p.petitioner.first_name, "Ayşe", "from the registry");
    assert_eq!(p.subject_address.district_name, "Çankaya");
    assert!(f.sms[0].body.contains("1001"));
    assert_eq!(
        f.history[0].note.as_deref(),
        Some("Başvuru Açık Kapı Birim Havuzunda")
    );
    assert_eq!(f.history[0].actor, "petition_citizen:*********46");
}

#[test]
fn identity_check_compares_letters_with_the_turkish_fold() {
    let mut f = Fake::default();
    let t = Tckn::parse(AYSE).unwrap();
    let m = MobilePhone::parse("5321000001").unwrap();
    assert!(check_identity(&mut f, &t, "AYŞE", "YILMAZ", "k", "A", &m).is_ok());
    for (first, m1, m2, mobile) in [
        ("Fatma", "K", "A", "5321000001"),
        ("Ayşe", "K", "E", "5321000001"),
        ("Ayşe", "K", "A", "5321000009"),
    ] {
        let e = check_identity(
            &mut f,
            &t,
            first,
            "Yılmaz",
            m1,
            m2,
            &MobilePhone::parse(mobile).unwrap(),
        )
        .unwrap_err();
        assert_eq!(e.code, "petition.identity_mismatch");
        assert!(e.fields.is_empty(), "names no field");
    }
}

#[test]
fn scope_desk_districts_units_and_province() {
    let (mut f, p) = setup();
    assert!(
        get_petition(&mut f, &desk(vec![], 6), p.id).is_ok(),
        "whole province"
    );
    assert!(get_petition(&mut f, &desk(vec![6007], 6), p.id).is_ok());
    assert_eq!(
        code(get_petition(&mut f, &desk(vec![6017], 6), p.id).unwrap_err()),
        "petition.not_found"
    );
    assert_eq!(
        code(get_petition(&mut f, &desk(vec![], 34), p.id).unwrap_err()),
        "petition.not_found"
    );
    assert_eq!(
        code(get_petition(&mut f, &mia(34), p.id).unwrap_err()),
        "petition.not_found"
    );
    assert_eq!(
        code(get_petition(&mut f, &unit(&["55481037"]), p.id).unwrap_err()),
        "petition.not_found"
    );
    let other = Actor::Citizen {
        tckn: Tckn::parse("12345678950").unwrap(),
    };
    assert_eq!(
        code(get_petition(&mut f, &other, p.id).unwrap_err()),
        "petition.not_found"
    );
    // An AKS of several districts narrows to one of theirs only.
    let e = search_petitions(
        &mut f,
        &desk(vec![6007, 6017], 6),
        SearchCriteria {
            district: Some(34023),
            ..Default::default()
        },
        PageRequest::first(),
    )
    .unwrap_err();
    assert_eq!(code(e), "petition.district_not_assigned");
    let r = search_petitions(
        &mut f,
        &desk(vec![6007, 6017], 6),
        SearchCriteria {
            district: Some(6007),
            ..Default::default()
        },
        PageRequest::first(),
    )
    .unwrap();
    assert_eq!(r.total, 1);
}

#[test]
fn route_answer_once_close_only_when_all_answered_then_frozen() {
    let (mut f, p) = setup();
    let aks = desk(vec![], 6);
    let e =
        route_petition(&mut f, &aks, p.id, vec!["11111111".into()], None, None, NOW).unwrap_err();
    assert_eq!(code(e), "routing.unknown_unit", "another province's unit");
    let p2 = route_petition(
        &mut f,
        &aks,
        p.id,
        vec!["55481037".into(), "30005480".into()],
        None,
        Some(1),
        NOW,
    )
    .unwrap();
    assert_eq!(p2.workflow.routings[0].deadline, date!(2026 - 04 - 01));
    assert!(f.history.iter().any(|h| h.note.as_deref()
        == Some("Başvuru İlgili Birime Yönlendirildi (Ankara İl Sağlık Müdürlüğü)")));
    let e = close_petition(&mut f, &aks, p.id, Outcome::Positive, "Tamam.", None, NOW).unwrap_err();
    assert_eq!(code(e), "petition.unanswered_routings");
    let answer = |text: &str| UnitAnswerInput {
        unit: None,
        outcome: UnitOutcome::Positive,
        text: text.into(),
        files: vec![],
    };
    answer_petition(&mut f, &unit(&["55481037"]), p.id, answer("Onarıldı."), NOW).unwrap();
    assert_eq!(
        code(answer_petition(&mut f, &unit(&["55481037"]), p.id, answer("Yine"), NOW).unwrap_err()),
        "routing.already_answered"
    );
    assert_eq!(
        code(answer_petition(&mut f, &aks, p.id, answer("AKS cevaplamaz"), NOW).unwrap_err()),
        "petition.not_allowed"
    );
    // Overdue on both sides of the deadline (1 April).
    let overdue = |f: &mut Fake, d| {
        search_petitions(
            f,
            &aks,
            SearchCriteria {
                overdue_on: Some(d),
                ..Default::default()
            },
            PageRequest::first(),
        )
        .unwrap()
        .total
    };
    assert_eq!(overdue(&mut f, date!(2026 - 04 - 01)), 0);
    assert_eq!(overdue(&mut f, date!(2026 - 04 - 02)), 1);
    answer_petition(
        &mut f,
        &unit(&["30005480"]),
        p.id,
        answer("İlgisi yok."),
        NOW,
    )
    .unwrap();
    assert_eq!(overdue(&mut f, date!(2026 - 04 - 02)), 0);
    let closed = close_petition(
        &mut f,
        &aks,
        p.id,
        Outcome::Negative,
        "Talebiniz karşılanamamıştır.",
        None,
        NOW,
    )
    .unwrap();
    assert!(closed
        .workflow
        .closing
        .unwrap()
        .letter
        .starts_with("Sayın Ayşe Yılmaz; Açık Kapı Bürosu'na 02.03.2026"));
    assert!(f.sms.last().unwrap().body.contains("Olumsuz"));
    let e = update_headings(&mut f, &aks, p.id, vec![], None, NOW).unwrap_err();
    assert_eq!(code(e), "petition.closed");
    let e = governor_act(&mut f, &mia(6), p.id, GovernorAction::Reset, None, NOW).unwrap_err();
    assert_eq!(code(e), "petition.closed");
}

#[test]
fn mia_sends_back_and_resets_the_desk_cannot() {
    let (mut f, p) = setup();
    let aks = desk(vec![], 6);
    route_petition(&mut f, &aks, p.id, vec!["55481037".into()], None, None, NOW).unwrap();
    send_to_governor(&mut f, &aks, p.id, None, NOW).unwrap();
    assert_eq!(
        code(governor_act(&mut f, &aks, p.id, GovernorAction::Reset, None, NOW).unwrap_err()),
        "petition.not_allowed"
    );
    let back = governor_act(
        &mut f,
        &mia(6),
        p.id,
        GovernorAction::SendBack("Eksik".into()),
        None,
        NOW,
    )
    .unwrap();
    assert_eq!(back.workflow.status, Status::SentBack);
    let reset = governor_act(&mut f, &mia(6), p.id, GovernorAction::Reset, None, NOW).unwrap();
    assert_eq!(reset.workflow.status, Status::InPool);
    assert!(reset.workflow.routings.is_empty());
    assert_eq!(
        code(get_petition(&mut f, &unit(&["55481037"]), p.id).unwrap_err()),
        "petition.not_found",
        "the unit loses it"
    );
    let notes: Vec<String> = f.history.iter().filter_map(|h| h.note.clone()).collect();
    assert!(notes.contains(&"İşlemler Geri Alındı".to_owned()));
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Başvuru İlgili Birime Yönlendirildi")),
        "history keeps the routing"
    );
}

#[test]
fn written_petition_in_the_desks_area_and_not_dated_ahead() {
    let mut f = Fake {
        sector: Some(SectorId::new()),
        ..Fake::default()
    };
    let s = f.sector.unwrap();
    let w = |district, arrival| WrittenSubmission {
        tckn: Tckn::parse(AYSE).unwrap(),
        arrival_date: arrival,
        submission: Submission {
            form: form(s, district),
            files: vec![],
        },
    };
    let e = enter_written_petition(
        &mut f,
        &desk(vec![6017], 6),
        w(6007, date!(2026 - 03 - 01)),
        NOW,
    )
    .unwrap_err();
    assert_eq!(code(e), "petition.outside_your_area");
    let e = enter_written_petition(
        &mut f,
        &desk(vec![], 6),
        w(6007, date!(2026 - 03 - 03)),
        NOW,
    )
    .unwrap_err();
    assert_eq!(code(e), "petition.arrival_in_future");
    let p = enter_written_petition(
        &mut f,
        &desk(vec![], 6),
        w(6007, date!(2026 - 03 - 02)),
        NOW,
    )
    .unwrap();
    assert_eq!(p.channel, crate::petition::Channel::Written);
    assert!(p.entered_by.unwrap().starts_with("desk_officer:"));
    let citizen = Actor::Citizen {
        tckn: Tckn::parse(AYSE).unwrap(),
    };
    assert_eq!(
        code(
            enter_written_petition(&mut f, &citizen, w(6007, date!(2026 - 03 - 02)), NOW)
                .unwrap_err()
        ),
        "petition.not_allowed"
    );
}

#[test]
fn form_errors_are_named_together() {
    let mut f = Fake {
        sector: Some(SectorId::new()),
        ..Fake::default()
    };
    let mut bad = form(SectorId::new(), 34023);
    bad.subject_address.neighbourhood_code = Some(60070001);
    bad.headings = vec![HeadingInput {
        heading_code: "DIGER".into(),
        sub_heading_code: "DIGER.01".into(),
        description: None,
    }];
    bad.mobile = None;
    bad.subject = "kısa".into();
    let residence = f
        .find_citizen(&Tckn::parse(AYSE).unwrap())
        .unwrap()
        .unwrap();
    let _ = residence;
    let citizen = Actor::PetitionCitizen {
        tckn: Tckn::parse(AYSE).unwrap(),
    };
    let e = submit_petition(
        &mut f,
        &citizen,
        Submission {
            form: bad,
            files: vec![],
        },
        NOW,
    )
    .unwrap_err();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    for x in [
        "subject_address.district_code",
        "subject_address.neighbourhood_code",
        "mobile",
        "headings[0].description",
        "sector_id",
        "subject",
    ] {
        assert!(fields.contains(&x), "{x} in {fields:?}");
    }
    assert!(f.petitions.is_empty());
}

#[test]
fn a_unit_officer_receives_no_contact_and_only_its_own_routings() {
    let (mut f, p) = setup();
    let aks = desk(vec![], 6);
    route_petition(
        &mut f,
        &aks,
        p.id,
        vec!["55481037".into(), "30005480".into()],
        None,
        None,
        NOW,
    )
    .unwrap();
    let seen = get_petition(&mut f, &unit(&["55481037"]), p.id).unwrap();
    assert_eq!(seen.contact.mobile, None);
    assert_eq!(seen.contact.email, None);
    assert_eq!(seen.workflow.routings.len(), 1);
    assert_eq!(seen.workflow.routings[0].unit_no, "55481037");
    // The desk still sees it whole, and the stored petition kept everything.
    let whole = get_petition(&mut f, &aks, p.id).unwrap();
    assert_eq!(whole.contact.mobile.as_deref(), Some("5321000001"));
    assert_eq!(whole.workflow.routings.len(), 2);
    // Answering returns the unit's view, and does not strip what is stored.
    let answered = answer_petition(
        &mut f,
        &unit(&["55481037"]),
        p.id,
        UnitAnswerInput {
            unit: None,
            outcome: UnitOutcome::Positive,
            text: "Onarıldı.".into(),
            files: vec![],
        },
        NOW,
    )
    .unwrap();
    assert_eq!(answered.contact.mobile, None);
    assert_eq!(f.petitions[&p.id].workflow.routings.len(), 2);
    assert_eq!(
        f.petitions[&p.id].contact.mobile.as_deref(),
        Some("5321000001")
    );
}

#[test]
fn export_is_for_the_desk_and_the_mia_and_never_empty() {
    let (mut f, _) = setup();
    let e = export_petitions(&mut f, &unit(&["55481037"]), SearchCriteria::default()).unwrap_err();
    assert_eq!(code(e), "petition.not_allowed");
    assert_eq!(
        export_petitions(&mut f, &desk(vec![], 6), SearchCriteria::default())
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        export_petitions(&mut f, &mia(6), SearchCriteria::default())
            .unwrap()
            .len(),
        1
    );
    let e = export_petitions(&mut f, &mia(34), SearchCriteria::default()).unwrap_err();
    assert_eq!(code(e), "report.no_records");
}

/// A petition routed to two units, Milli Eğitim answered, Sağlık not (deadline 1 April).
fn routed_to_two_units() -> (Fake, Petition) {
    let (mut f, p) = setup();
    let aks = desk(vec![], 6);
    route_petition(
        &mut f,
        &aks,
        p.id,
        vec!["55481037".into(), "30005480".into()],
        None,
        None,
        NOW,
    )
    .unwrap();
    let answer = |text: &str| UnitAnswerInput {
        unit: None,
        outcome: UnitOutcome::Positive,
        text: text.into(),
        files: vec![],
    };
    answer_petition(&mut f, &unit(&["55481037"]), p.id, answer("Onarıldı."), NOW).unwrap();
    (f, p)
}

#[test]
fn a_unit_officer_cannot_filter_by_what_it_does_not_see() {
    let (mut f, p) = routed_to_two_units();
    let by_tckn = SearchCriteria {
        tckn: Some(Tckn::parse(AYSE).unwrap()),
        ..Default::default()
    };
    let e = search_petitions(
        &mut f,
        &unit(&["55481037"]),
        by_tckn.clone(),
        PageRequest::first(),
    )
    .unwrap_err();
    assert_eq!(e.kind, kapi_core::ErrorKind::Invalid);
    assert_eq!(
        (e.fields[0].field.as_str(), e.fields[0].code.as_ref()),
        ("tckn", "petition.filter_not_allowed")
    );
    // A wrong TCKN gives the same answer: nothing is confirmed either way.
    let other = SearchCriteria {
        tckn: Some(Tckn::parse("12345678950").unwrap()),
        ..Default::default()
    };
    let e2 =
        search_petitions(&mut f, &unit(&["55481037"]), other, PageRequest::first()).unwrap_err();
    assert_eq!(e2.fields, e.fields);
    // The export refuses a Yetkili anyway; the desk and the MİA filter by TCKN.
    assert_eq!(
        code(export_petitions(&mut f, &unit(&["55481037"]), by_tckn.clone()).unwrap_err()),
        "petition.not_allowed"
    );
    for a in [desk(vec![], 6), mia(6)] {
        let r = search_petitions(&mut f, &a, by_tckn.clone(), PageRequest::first()).unwrap();
        assert_eq!(r.items[0].id, p.id);
    }
    // Overdue means one of the Yetkili's own routings: Sağlık is late on 2 April,
    // Milli Eğitim answered.
    let overdue = |f: &mut Fake, a: &Actor| {
        search_petitions(
            f,
            a,
            SearchCriteria {
                overdue_on: Some(date!(2026 - 04 - 02)),
                ..Default::default()
            },
            PageRequest::first(),
        )
        .unwrap()
        .total
    };
    assert_eq!(overdue(&mut f, &unit(&["55481037"])), 0);
    assert_eq!(overdue(&mut f, &unit(&["30005480"])), 1);
    assert_eq!(overdue(&mut f, &desk(vec![], 6)), 1);
}

#[test]
fn every_read_by_a_unit_officer_shows_only_its_own_unit() {
    let (mut f, p) = routed_to_two_units();
    let aks = desk(vec![], 6);
    answer_petition(
        &mut f,
        &unit(&["30005480"]),
        p.id,
        UnitAnswerInput {
            unit: None,
            outcome: UnitOutcome::Negative,
            text: "Hastane ile ilgisi yok.".into(),
            files: vec![],
        },
        NOW,
    )
    .unwrap();
    send_to_governor(&mut f, &aks, p.id, None, NOW).unwrap();
    governor_act(
        &mut f,
        &mia(6),
        p.id,
        GovernorAction::SendBack("Sağlık cevabı eksik.".into()),
        None,
        NOW,
    )
    .unwrap();
    close_petition(&mut f, &aks, p.id, Outcome::Positive, "Tamam.", None, NOW).unwrap();

    let yetkili = unit(&["55481037"]);
    let seen = get_petition(&mut f, &yetkili, p.id).unwrap();
    assert_eq!(seen.workflow.routings.len(), 1);
    assert!(seen.workflow.governor.is_none() && seen.workflow.closing.is_none());
    assert!(!sees_citizen_identity(&yetkili));
    assert!(sees_citizen_identity(&aks));

    let notes = |h: &[HistoryEntry]| -> Vec<String> {
        h.iter().filter_map(|e| e.note.clone()).collect::<Vec<_>>()
    };
    let own = petition_history(&mut f, &yetkili, p.id).unwrap();
    assert_eq!(
        notes(&own),
        vec![
            "Başvuru Açık Kapı Birim Havuzunda",
            "Başvuru İlgili Birime Yönlendirildi (Ankara İl Milli Eğitim Müdürlüğü)",
            "Birimden Cevap Geldi (Ankara İl Milli Eğitim Müdürlüğü)",
        ]
    );
    assert_eq!(
        own[0].actor, "petition_citizen",
        "no part of the citizen's TCKN"
    );
    let whole = petition_history(&mut f, &aks, p.id).unwrap();
    assert!(whole.len() > own.len());
    assert!(notes(&whole).iter().any(|n| n.contains("Sağlık")));
    assert_eq!(whole[0].actor, "petition_citizen:*********46");

    let (rp, rh) = petition_report(&mut f, &yetkili, p.id).unwrap();
    assert_eq!(rp, seen);
    assert_eq!(rh, own);
    // Outside the scope: 404 for the history and the report too.
    for e in [
        petition_history(&mut f, &unit(&["11111111"]), p.id).unwrap_err(),
        petition_report(&mut f, &unit(&["11111111"]), p.id).unwrap_err(),
    ] {
        assert_eq!(code(e), "petition.not_found");
    }
}
