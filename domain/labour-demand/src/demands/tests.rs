use super::*;
use crate::candidate::{CandidateStage, InterviewResult, InvitationAnswer};
use crate::demand::{
    DemandDetails, EducationLevel, LanguageLevel, LicenceClass, Requirements, ShiftPattern,
    TargetGroup, WorkAddress, WorkLocation, WorkType,
};
use crate::job_seeker::{Education, Licence, MilitaryStatus, TargetGroupStatus};
use crate::reports::{demand_report, ReportCriteria, ReportKind};
use crate::search::{open_job_query, SearchMode, SearchParams};
use crate::workplace::WorkplaceKind;
use kapi_core::{
    with_tckn_checksum, with_vkn_checksum, EmployerPermissions, EmployerSector, ErrorKind, SgkNo,
    StaffAccountId, Vkn,
};
use kapi_identity::registry::{RegistryAddress, RegistryCitizen};
use time::macros::{date, datetime};

#[derive(Default)]
struct Fake {
    citizens: Vec<(Tckn, Date)>,
    workplaces: Vec<(Workplace, Employer)>,
    demands: Vec<LabourDemand>,
    seekers: Vec<JobSeeker>,
    candidates: Vec<Candidate>,
    history: Vec<HistoryEntry>,
    seq: i64,
}

impl HistoryLog for Fake {
    fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
        self.history.push(e.clone());
        Ok(())
    }
    fn history(&mut self, _k: &str, _i: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        Ok(self.history.clone())
    }
}

impl CitizenRegistry for Fake {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        Ok(self
            .citizens
            .iter()
            .find(|(t, _)| t == tckn)
            .map(|(t, born)| RegistryCitizen {
                tckn: t.clone(),
                first_name: "Ayşe".into(),
                last_name: format!("Yılmaz{}", &t.as_str()[..3]),
                birth_date: *born,
                mother_maiden_surname: "Kaya".into(),
                mobile: None,
                residence: RegistryAddress {
                    province: ProvinceCode::new(6).unwrap(),
                    district_code: 6007,
                    neighbourhood: None,
                    open_address: String::new(),
                },
                edevlet_password_hash: None,
            }))
    }
}

impl DemandStore for Fake {
    fn workplace_with_employer(
        &mut self,
        id: WorkplaceId,
    ) -> Result<Option<(Workplace, Employer)>, DomainError> {
        Ok(self.workplaces.iter().find(|(w, _)| w.id == id).cloned())
    }
    fn occupation_name(&mut self, code: &str) -> Result<Option<String>, DomainError> {
        Ok(match code {
            "8344.01" => Some("Forklift Operatörü".into()),
            "4110.01" => Some("Büro Memuru".into()),
            _ => None,
        })
    }
    fn district_in_province(&mut self, d: i32, p: ProvinceCode) -> Result<bool, DomainError> {
        Ok(d / 1000 == i32::from(p.get()))
    }
    fn next_talep_no(&mut self) -> Result<i64, DomainError> {
        self.seq += 1;
        Ok(1000 + self.seq)
    }
    fn insert_demand(&mut self, d: &LabourDemand) -> Result<(), DomainError> {
        self.demands.push(d.clone());
        Ok(())
    }
    fn get_demand(&mut self, id: LabourDemandId) -> Result<Option<LabourDemand>, DomainError> {
        Ok(self.demands.iter().find(|d| d.id == id).cloned())
    }
    fn demand_by_talep_no(&mut self, no: i64) -> Result<Option<LabourDemand>, DomainError> {
        Ok(self.demands.iter().find(|d| d.talep_no == no).cloned())
    }
    fn update_demand(&mut self, d: &LabourDemand, expected: i64) -> Result<bool, DomainError> {
        match self.demands.iter_mut().find(|x| x.id == d.id) {
            Some(x) if x.version == expected => {
                *x = d.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn page_demands(
        &mut self,
        f: &DemandFilter,
        page: PageRequest,
    ) -> Result<Page<LabourDemand>, DomainError> {
        let items: Vec<_> = self
            .demands
            .iter()
            .filter(|d| f.employer.is_none_or(|e| e == d.employer_id))
            .filter(|d| {
                f.province
                    .is_none_or(|p| p == d.details.work_address.province)
            })
            .cloned()
            .collect();
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
    fn search_open(
        &mut self,
        q: &OpenJobQuery,
        today: Date,
        page: PageRequest,
    ) -> Result<Page<LabourDemand>, DomainError> {
        let items: Vec<_> = self
            .demands
            .iter()
            .filter(|d| d.status == DemandStatus::Active && d.last_application_date >= today)
            .filter(|d| {
                q.province
                    .is_none_or(|p| p == d.details.work_address.province)
            })
            .filter(|d| q.talep_no.is_none_or(|n| n == d.talep_no))
            .cloned()
            .collect();
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
    fn job_seeker(&mut self, tckn: &Tckn) -> Result<Option<JobSeeker>, DomainError> {
        Ok(self.seekers.iter().find(|s| &s.tckn == tckn).cloned())
    }
    fn insert_job_seeker(&mut self, s: &JobSeeker) -> Result<(), DomainError> {
        self.seekers.push(s.clone());
        Ok(())
    }
    fn update_job_seeker(&mut self, s: &JobSeeker, expected: i64) -> Result<bool, DomainError> {
        match self.seekers.iter_mut().find(|x| x.tckn == s.tckn) {
            Some(x) if x.version == expected => {
                *x = s.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn match_pool(
        &mut self,
        occupation: &str,
        province: Option<ProvinceCode>,
        _limit: i64,
    ) -> Result<Vec<JobSeeker>, DomainError> {
        Ok(self
            .seekers
            .iter()
            .filter(|s| s.profile.occupations.iter().any(|o| o == occupation))
            .filter(|s| province.is_none_or(|p| p == s.profile.province))
            .cloned()
            .collect())
    }
    fn candidates_of(&mut self, demand: LabourDemandId) -> Result<Vec<Candidate>, DomainError> {
        Ok(self
            .candidates
            .iter()
            .filter(|c| c.demand_id == demand)
            .cloned()
            .collect())
    }
    fn get_candidate(&mut self, id: DemandCandidateId) -> Result<Option<Candidate>, DomainError> {
        Ok(self.candidates.iter().find(|c| c.id == id).cloned())
    }
    fn insert_candidate(&mut self, c: &Candidate) -> Result<(), DomainError> {
        self.candidates.push(c.clone());
        Ok(())
    }
    fn update_candidate(&mut self, c: &Candidate, expected: i64) -> Result<bool, DomainError> {
        match self.candidates.iter_mut().find(|x| x.id == c.id) {
            Some(x) if x.version == expected => {
                *x = c.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn applications_of(
        &mut self,
        tckn: &Tckn,
        page: PageRequest,
    ) -> Result<Page<(Candidate, LabourDemand)>, DomainError> {
        let items: Vec<_> = self
            .candidates
            .iter()
            .filter(|c| &c.tckn == tckn)
            .filter_map(|c| {
                let d = self.demands.iter().find(|d| d.id == c.demand_id)?;
                Some((c.clone(), d.clone()))
            })
            .collect();
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
    fn report_lines(
        &mut self,
        scope: &ReportScope,
        _limit: usize,
    ) -> Result<Vec<ReportLine>, DomainError> {
        Ok(self
            .candidates
            .iter()
            .filter_map(|c| {
                let d = self.demands.iter().find(|d| d.id == c.demand_id)?;
                (d.employer_id == scope.employer && scope.talep_no.is_none_or(|n| n == d.talep_no))
                    .then(|| ReportLine {
                        candidate: c.clone(),
                        talep_no: d.talep_no,
                        occupation_name: d.occupation_name.clone(),
                        position: d.details.position.clone(),
                    })
            })
            .collect())
    }
}

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 +03:00);
const LAST_DAY: Date = date!(2026 - 04 - 30);

fn tckn(nine: &str) -> Tckn {
    Tckn::parse(&with_tckn_checksum(nine).unwrap()).unwrap()
}

fn ankara() -> ProvinceCode {
    ProvinceCode::new(6).unwrap()
}

fn employer_user(employer: EmployerId, permissions: EmployerPermissions) -> Actor {
    Actor::EmployerUser {
        tckn: tckn("100000001"),
        employer_id: employer,
        workplace_id: None,
        permissions,
    }
}

fn admin(employer: EmployerId) -> Actor {
    employer_user(employer, crate::employer::all_permissions())
}

fn add_employer(store: &mut Fake, nine: &str, n: u32) -> (EmployerId, WorkplaceId) {
    let e = Employer {
        id: EmployerId::new(),
        title: format!("Demir Çelik {n} A.Ş."),
        vkn: Vkn::parse(&with_vkn_checksum(nine).unwrap()).unwrap(),
        sector: EmployerSector::Private,
        iskur_no: n.to_string(),
        address: "Kızılay".into(),
        phone: None,
        email: None,
        terms_accepted_at: NOW,
        version: 1,
        created_at: NOW,
        updated_at: NOW,
    };
    let w = Workplace {
        id: WorkplaceId::new(),
        employer_id: e.id,
        kind: WorkplaceKind::HeadOffice,
        head_office_id: None,
        title: "Merkez".into(),
        sgk_no: SgkNo::parse(&format!("25120010100000{n:08}")).unwrap(),
        province: ankara(),
        district_code: 6007,
        address: "Organize Sanayi 5. Cad. No:3".into(),
        phone: None,
        email: None,
        related_persons: vec![],
        other: Default::default(),
        version: 1,
        created_at: NOW,
        updated_at: NOW,
    };
    let ids = (e.id, w.id);
    store.workplaces.push((w, e));
    ids
}

fn input(requirements: Requirements) -> DemandInput {
    DemandInput {
        occupation_code: "8344.01".into(),
        worker_count: 2,
        last_application_date: LAST_DAY,
        requirements,
        details: DemandDetails {
            position: "Forklift Operatörü".into(),
            field: Some("Lojistik".into()),
            description: Some("Depoda vardiyalı çalışacak operatör".into()),
            work_type: WorkType::FullTime,
            shift: ShiftPattern::Shifts,
            weekly_hours: Some(45),
            education_field: None,
            physical_notes: None,
            exam_required: false,
            exam_notes: None,
            work_location: WorkLocation::Domestic,
            work_country: None,
            work_address: WorkAddress {
                province: ankara(),
                district_code: 6007,
                address: "Organize Sanayi 5. Cad. No:3".into(),
            },
            benefits: vec![],
            wage: None,
            interview_address: None,
        },
    }
}

fn seeker_profile(birth: Date) -> (Tckn, Profile, Date) {
    let profile = Profile {
        occupations: vec!["8344.01".into()],
        education: vec![Education {
            level: EducationLevel::HighSchool,
            field: None,
            graduated_on: date!(2010 - 06 - 15),
        }],
        licences: vec![Licence {
            class: LicenceClass::B,
            issued_on: date!(2012 - 01 - 01),
            valid_until: None,
        }],
        languages: vec![],
        military_status: MilitaryStatus::Completed,
        target_groups: vec![],
        province: ankara(),
        district_code: 6007,
        active: true,
    };
    (tckn("200000001"), profile, birth)
}

fn register(store: &mut Fake, t: &Tckn, born: Date, profile: Profile) -> JobSeeker {
    store.citizens.push((t.clone(), born));
    save_profile(
        store,
        &Actor::Citizen { tckn: t.clone() },
        profile,
        None,
        NOW,
    )
    .unwrap()
}

#[test]
fn demands_get_talep_numbers_and_refuse_bad_sections_with_the_field_named() {
    let mut store = Fake::default();
    let (employer, wp) = add_employer(&mut store, "111111111", 1);
    let a = admin(employer);
    let d1 = create_demand(&mut store, &a, wp, input(Requirements::default()), NOW).unwrap();
    let d2 = create_demand(&mut store, &a, wp, input(Requirements::default()), NOW).unwrap();
    assert_eq!((d1.talep_no, d2.talep_no), (1001, 1002));
    assert_eq!(d1.occupation_name, "Forklift Operatörü");
    assert_eq!(d1.status, DemandStatus::Active);

    let mut bad = input(Requirements {
        min_age: Some(40),
        max_age: Some(30),
        ..Requirements::default()
    });
    bad.worker_count = 0;
    bad.occupation_code = "9999.99".into();
    bad.last_application_date = date!(2026 - 03 - 09);
    bad.details.work_address.district_code = 34023;
    bad.details.work_location = WorkLocation::Abroad;
    let err = create_demand(&mut store, &a, wp, bad, NOW).unwrap_err();
    let fields: Vec<_> = err.fields.iter().map(|f| f.field.as_str()).collect();
    for f in [
        "worker_count",
        "last_application_date",
        "requirements.max_age",
        "details.work_country",
        "occupation_code",
        "details.work_address.district_code",
    ] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    // The last date: today is fine, 181 days ahead is not.
    let mut edge = input(Requirements::default());
    edge.last_application_date = date!(2026 - 03 - 10);
    assert!(create_demand(&mut store, &a, wp, edge.clone(), NOW).is_ok());
    edge.last_application_date = date!(2026 - 03 - 10) + time::Duration::days(181);
    assert_eq!(
        create_demand(&mut store, &a, wp, edge, NOW)
            .unwrap_err()
            .fields[0]
            .code,
        "labour_demand.last_date_too_far"
    );
    assert_eq!(store.demands.len(), 3, "nothing half-written");
}

#[test]
fn another_employer_is_not_found_and_permissions_are_checked() {
    let mut store = Fake::default();
    let (a_id, a_wp) = add_employer(&mut store, "111111111", 1);
    let (b_id, b_wp) = add_employer(&mut store, "222222222", 2);
    let d = create_demand(
        &mut store,
        &admin(a_id),
        a_wp,
        input(Requirements::default()),
        NOW,
    )
    .unwrap();
    let b = admin(b_id);
    assert_eq!(
        get_demand(&mut store, &b, d.id).unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        close_demand(&mut store, &b, d.id, CloseReason::Filled, None, None, NOW)
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        create_demand(&mut store, &b, a_wp, input(Requirements::default()), NOW)
            .unwrap_err()
            .fields[0]
            .code,
        "workplace.not_found"
    );
    assert!(list_demands(
        &mut store,
        &b,
        DemandFilter::default(),
        PageRequest::first()
    )
    .unwrap()
    .items
    .is_empty());
    let no_flag = employer_user(
        a_id,
        EmployerPermissions {
            workforce_chart: true,
            ..EmployerPermissions::default()
        },
    );
    assert_eq!(
        get_demand(&mut store, &no_flag, d.id).unwrap_err().code,
        "labour_demand.permission_missing"
    );
    let staff = Actor::IskurStaff {
        account_id: StaffAccountId::new(),
        province: None,
    };
    assert_eq!(get_demand(&mut store, &staff, d.id).unwrap().id, d.id);
    let istanbul_staff = Actor::IskurStaff {
        account_id: StaffAccountId::new(),
        province: Some(ProvinceCode::new(34).unwrap()),
    };
    assert_eq!(
        get_demand(&mut store, &istanbul_staff, d.id)
            .unwrap_err()
            .kind,
        ErrorKind::NotFound,
        "another province's demand"
    );
    assert_eq!(
        cancel_demand(&mut store, &staff, d.id, None, None, NOW)
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    let reports_only = employer_user(
        a_id,
        EmployerPermissions {
            labour_demand: true,
            ..EmployerPermissions::default()
        },
    );
    assert_eq!(
        demand_report(
            &mut store,
            &reports_only,
            ReportKind::Selection,
            &ReportCriteria::default()
        )
        .unwrap_err()
        .code,
        "report.permission_missing"
    );
    let _ = b_wp;
}

#[test]
fn eligibility_is_judged_on_the_last_application_date() {
    let mut store = Fake::default();
    let (employer, wp) = add_employer(&mut store, "111111111", 1);
    let a = admin(employer);
    let d = create_demand(
        &mut store,
        &a,
        wp,
        input(Requirements {
            max_age: Some(30),
            min_education: Some(EducationLevel::HighSchool),
            licences: vec![LicenceClass::C],
            target_group: TargetGroup::Disabled,
            residents_only: true,
            ..Requirements::default()
        }),
        NOW,
    )
    .unwrap();
    // Turns 31 on the day after the last application date: still 30 on it.
    let (t, mut p, _) = seeker_profile(date!(1995 - 05 - 01));
    p.licences.push(Licence {
        class: LicenceClass::C,
        issued_on: date!(2020 - 01 - 01),
        valid_until: Some(LAST_DAY),
    });
    p.target_groups.push(TargetGroupStatus {
        group: TargetGroup::Disabled,
        evidence: "Sağlık kurulu raporu 2024/118".into(),
        valid_until: None,
    });
    let s = register(&mut store, &t, date!(1995 - 05 - 01), p.clone());
    assert!(eligibility::unmet_criteria(&s, &d).is_empty());

    // Turns 31 on the last application date: too old. Licence expired the day before.
    let mut older = s.clone();
    older.birth_date = date!(1995 - 04 - 30);
    older.profile.licences[1].valid_until = Some(date!(2026 - 04 - 29));
    older.profile.target_groups.clear();
    older.profile.province = ProvinceCode::new(34).unwrap();
    older.profile.education[0].graduated_on = date!(2026 - 05 - 01);
    let codes: Vec<_> = eligibility::unmet_criteria(&older, &d)
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(
        codes,
        [
            "eligibility.too_old",
            "eligibility.education",
            "eligibility.licence",
            "eligibility.target_group",
            "eligibility.province"
        ]
    );
    // A vocational minimum is not met by a general high school.
    assert!(!EducationLevel::HighSchool.meets(EducationLevel::VocationalHighSchool));
    assert!(EducationLevel::Associate.meets(EducationLevel::VocationalHighSchool));
}

#[test]
fn applying_checks_state_deadline_eligibility_and_duplicates() {
    let mut store = Fake::default();
    let (employer, wp) = add_employer(&mut store, "111111111", 1);
    let a = admin(employer);
    let d = create_demand(
        &mut store,
        &a,
        wp,
        input(Requirements {
            languages: vec![crate::demand::LanguageRequirement {
                language: "en".into(),
                level: LanguageLevel::Intermediate,
            }],
            ..Requirements::default()
        }),
        NOW,
    )
    .unwrap();
    let (t, p, born) = seeker_profile(date!(1990 - 01 - 01));
    let citizen = Actor::Citizen { tckn: t.clone() };
    assert_eq!(
        apply(&mut store, &citizen, d.talep_no, NOW)
            .unwrap_err()
            .code,
        "job_seeker.not_registered"
    );
    register(&mut store, &t, born, p.clone());
    let err = apply(&mut store, &citizen, d.talep_no, NOW).unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_ref()),
        (ErrorKind::Invalid, "eligibility.not_met")
    );
    assert_eq!(err.fields[0].field, "requirements.languages[en]");

    let mut p2 = p.clone();
    p2.languages.push(crate::job_seeker::Language {
        language: "en".into(),
        level: LanguageLevel::Advanced,
    });
    save_profile(&mut store, &citizen, p2, None, NOW).unwrap();
    // After the last application date (00:00 the next day, Istanbul): refused.
    assert_eq!(
        apply(
            &mut store,
            &citizen,
            d.talep_no,
            datetime!(2026-05-01 00:00 +03:00)
        )
        .unwrap_err()
        .code,
        "labour_demand.deadline_passed"
    );
    // At 23:59:59 on the last day: accepted.
    let (c, _) = apply(
        &mut store,
        &citizen,
        d.talep_no,
        datetime!(2026-04-30 23:59:59 +03:00),
    )
    .unwrap();
    assert_eq!(c.origin, CandidateOrigin::Applied);
    assert_eq!(
        apply(&mut store, &citizen, d.talep_no, NOW)
            .unwrap_err()
            .code,
        "candidate.already_listed"
    );
    assert_eq!(
        my_applications(&mut store, &citizen, PageRequest::first())
            .unwrap()
            .total,
        1
    );

    let d2 = create_demand(&mut store, &a, wp, input(Requirements::default()), NOW).unwrap();
    close_demand(
        &mut store,
        &a,
        d2.id,
        CloseReason::Other,
        Some("Vazgeçildi".into()),
        None,
        NOW,
    )
    .unwrap();
    assert_eq!(
        apply(&mut store, &citizen, d2.talep_no, NOW)
            .unwrap_err()
            .code,
        "labour_demand.not_active"
    );
    assert_eq!(
        open_job(&mut store, d2.talep_no, NOW).unwrap_err().code,
        "open_job.not_found"
    );
}

#[test]
fn select_invite_answer_and_hire_until_the_demand_is_filled() {
    let mut store = Fake::default();
    let (employer, wp) = add_employer(&mut store, "111111111", 1);
    let a = admin(employer);
    let d = create_demand(&mut store, &a, wp, input(Requirements::default()), NOW).unwrap();
    // Three seekers: one elsewhere in Ankara, one in the same district, one too young.
    let mut tckns = vec![];
    for (nine, district, born) in [
        ("300000001", 6017, date!(1990 - 01 - 01)),
        ("300000002", 6007, date!(1990 - 01 - 01)),
        ("300000003", 6007, date!(2015 - 01 - 01)),
    ] {
        let t = tckn(nine);
        let (_, mut p, _) = seeker_profile(born);
        p.district_code = district;
        register(&mut store, &t, born, p);
        tckns.push(t);
    }
    let page = matches(&mut store, &a, d.id, PageRequest::first()).unwrap();
    let order: Vec<_> = page.items.iter().map(|m| m.seeker.tckn.clone()).collect();
    assert_eq!(
        order,
        vec![tckns[1].clone(), tckns[0].clone()],
        "same district first"
    );
    assert_eq!(page.items[0].score, 70);

    // Cancel is possible before any invitation.
    let spare = create_demand(&mut store, &a, wp, input(Requirements::default()), NOW).unwrap();
    cancel_demand(&mut store, &a, spare.id, None, None, NOW).unwrap();

    let err = select_candidates(&mut store, &a, d.id, &tckns, NOW).unwrap_err();
    assert_eq!(err.fields.len(), 1);
    assert_eq!(err.fields[0].field, "tckns[2].requirements.min_age");
    assert_eq!(err.fields[0].code, "eligibility.too_young");
    assert!(store.candidates.is_empty(), "all or nothing");
    let listed = select_candidates(&mut store, &a, d.id, &tckns[..2], NOW).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(matches(&mut store, &a, d.id, PageRequest::first())
        .unwrap()
        .items
        .is_empty());

    let interview = datetime!(2026-03-12 10:00 +03:00);
    let c0 = invite_candidate(
        &mut store,
        &a,
        d.id,
        listed[0].id,
        interview,
        Some("Merkez ofis".into()),
        None,
        NOW,
    )
    .unwrap();
    assert_eq!(c0.stage(), CandidateStage::Invited);
    assert_eq!(
        cancel_demand(&mut store, &a, d.id, None, None, NOW)
            .unwrap_err()
            .code,
        "labour_demand.candidates_invited"
    );
    answer_invitation(
        &mut store,
        &a,
        d.id,
        c0.id,
        InvitationAnswer::Accepted,
        None,
        NOW,
    )
    .unwrap();
    // Before the interview time the result is refused; at it, accepted.
    assert_eq!(
        record_result(
            &mut store,
            &a,
            d.id,
            c0.id,
            InterviewResult::Hired,
            None,
            None,
            datetime!(2026-03-12 09:59 +03:00)
        )
        .unwrap_err()
        .code,
        "candidate.interview_not_held"
    );
    let (_, after) = record_result(
        &mut store,
        &a,
        d.id,
        c0.id,
        InterviewResult::Hired,
        None,
        None,
        interview,
    )
    .unwrap();
    assert_eq!((after.hired_count, after.status), (1, DemandStatus::Active));
    assert_eq!(
        record_result(
            &mut store,
            &a,
            d.id,
            c0.id,
            InterviewResult::NotHired,
            None,
            None,
            interview
        )
        .unwrap_err()
        .code,
        "candidate.result_recorded"
    );
    let c1 = invite_candidate(
        &mut store,
        &a,
        d.id,
        listed[1].id,
        interview,
        None,
        None,
        NOW,
    )
    .unwrap();
    answer_invitation(
        &mut store,
        &a,
        d.id,
        c1.id,
        InvitationAnswer::Declined,
        None,
        NOW,
    )
    .unwrap();
    assert_eq!(
        record_result(
            &mut store,
            &a,
            d.id,
            c1.id,
            InterviewResult::Hired,
            None,
            None,
            interview
        )
        .unwrap_err()
        .code,
        "candidate.invitation_declined"
    );
    // Re-invite clears the answer; the second hire fills the demand.
    invite_candidate(
        &mut store,
        &a,
        d.id,
        c1.id,
        datetime!(2026-03-13 10:00 +03:00),
        None,
        None,
        NOW,
    )
    .unwrap();
    let (_, filled) = record_result(
        &mut store,
        &a,
        d.id,
        c1.id,
        InterviewResult::Hired,
        None,
        None,
        datetime!(2026-03-13 10:30 +03:00),
    )
    .unwrap();
    assert_eq!(filled.status, DemandStatus::Closed);
    assert_eq!(filled.close_reason, Some(CloseReason::Filled));

    // Reports: selection has both, result both, a talep no with nothing is "no records".
    let sel = demand_report(
        &mut store,
        &a,
        ReportKind::Selection,
        &ReportCriteria::default(),
    )
    .unwrap();
    assert_eq!(sel.rows.len(), 2);
    assert_eq!(sel.title, "İşgücü İstemi Seçim Listesi");
    assert!(sel.rows[0][2].contains("******"));
    let res = demand_report(
        &mut store,
        &a,
        ReportKind::Result,
        &ReportCriteria::default(),
    )
    .unwrap();
    assert_eq!(res.rows.len(), 2);
    assert!(res.rows.iter().all(|r| r[5] == "İşe alındı"));
    let none = demand_report(
        &mut store,
        &a,
        ReportKind::Interview,
        &ReportCriteria {
            from: Some(date!(2026 - 04 - 01)),
            ..ReportCriteria::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (none.kind, none.code.as_ref()),
        (ErrorKind::NotFound, "report.no_records")
    );
    assert_eq!(
        none.message,
        "Girdiğiniz kriterlere uygun kayıt bulunamadı."
    );
}

#[test]
fn search_modes_say_what_they_need_and_refuse_what_they_do_not_take() {
    let err = open_job_query(
        SearchMode::ProvinceOccupationTarget,
        &SearchParams {
            province: Some(ankara()),
            q: Some("forklift".into()),
            ..SearchParams::default()
        },
    )
    .unwrap_err();
    let got: Vec<_> = err
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_ref()))
        .collect();
    assert_eq!(
        got,
        [
            ("occupation_code", "search.criterion_required"),
            ("target_group", "search.criterion_required"),
            ("q", "search.criterion_not_in_mode")
        ]
    );
    let q = open_job_query(
        SearchMode::Keyword,
        &SearchParams {
            q: Some("  FORKLİFT Şoförü a ".into()),
            ..SearchParams::default()
        },
    )
    .unwrap();
    assert_eq!(q.keywords, ["forklift", "soforu"]);
    assert!(open_job_query(
        SearchMode::Detailed,
        &SearchParams {
            district_code: Some(6007),
            ..SearchParams::default()
        }
    )
    .is_err());
    assert!(open_job_query(SearchMode::Quick, &SearchParams::default()).is_ok());
}

#[test]
fn profiles_take_names_from_the_registry_and_check_their_sections() {
    let mut store = Fake::default();
    let (t, mut p, born) = seeker_profile(date!(1990 - 01 - 01));
    store.citizens.push((t.clone(), born));
    let citizen = Actor::Citizen { tckn: t.clone() };
    p.occupations.push("8344.01".into());
    p.occupations.push("0000.00".into());
    p.target_groups.push(TargetGroupStatus {
        group: TargetGroup::ExConvict,
        evidence: " ".into(),
        valid_until: None,
    });
    p.licences[0].issued_on = date!(2027 - 01 - 01);
    let err = save_profile(&mut store, &citizen, p.clone(), None, NOW).unwrap_err();
    let codes: Vec<_> = err
        .fields
        .iter()
        .map(|f| (f.field.clone(), f.code.to_string()))
        .collect();
    assert!(codes.contains(&(
        "occupations[1]".into(),
        "job_seeker.occupation_duplicate".into()
    )));
    assert!(codes.contains(&("occupations[2]".into(), "occupation.unknown".into())));
    assert!(codes.contains(&(
        "target_groups[0].evidence".into(),
        "job_seeker.evidence_required".into()
    )));
    assert!(codes.contains(&(
        "licences[0].issued_on".into(),
        "job_seeker.licence_future".into()
    )));
    assert!(store.seekers.is_empty());

    let (_, good, _) = seeker_profile(born);
    let s = save_profile(&mut store, &citizen, good.clone(), None, NOW).unwrap();
    assert_eq!((s.first_name.as_str(), s.birth_date), ("Ayşe", born));
    assert_eq!(
        save_profile(&mut store, &citizen, good, Some(7), NOW)
            .unwrap_err()
            .kind,
        ErrorKind::PreconditionFailed
    );
    let employer = admin(EmployerId::new());
    assert_eq!(
        my_profile(&mut store, &employer).unwrap_err().kind,
        ErrorKind::Forbidden
    );
}
