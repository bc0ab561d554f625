use super::*;
use crate::posting::{StageInput, SubPostingInput};
use kapi_core::{ErrorKind, StaffAccountId, Tckn};
use std::collections::HashMap;
use time::macros::{date, datetime};

const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 +03:00);

struct Fake {
    postings: HashMap<PostingId, Posting>,
    history: Vec<HistoryEntry>,
    counter: i64,
    institutions: HashMap<InstitutionId, String>,
}

impl Fake {
    fn new(institutions: &[InstitutionId]) -> Self {
        Fake {
            postings: HashMap::new(),
            history: vec![],
            counter: 0,
            institutions: institutions
                .iter()
                .enumerate()
                .map(|(i, id)| (*id, format!("Kurum {i}")))
                .collect(),
        }
    }
}

impl HistoryLog for Fake {
    fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
        self.history.push(e.clone());
        Ok(())
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        Ok(self
            .history
            .iter()
            .filter(|e| e.resource_kind == kind && e.resource_id == id)
            .cloned()
            .collect())
    }
}

impl PostingReference for Fake {
    fn education_level_exists(&mut self, code: &str) -> Result<bool, DomainError> {
        Ok(matches!(code, "bachelor" | "high_school"))
    }
}

impl PostingStore for Fake {
    fn next_posting_no(&mut self) -> Result<i64, DomainError> {
        self.counter += 1;
        Ok(self.counter)
    }
    fn institution_name(&mut self, id: InstitutionId) -> Result<Option<String>, DomainError> {
        Ok(self.institutions.get(&id).cloned())
    }
    fn insert(&mut self, p: &Posting) -> Result<(), DomainError> {
        self.postings.insert(p.id, p.clone());
        Ok(())
    }
    fn get(&mut self, id: PostingId) -> Result<Option<Posting>, DomainError> {
        Ok(self.postings.get(&id).cloned())
    }
    fn update(&mut self, p: &Posting, expected: i64) -> Result<bool, DomainError> {
        match self.postings.get_mut(&p.id) {
            Some(x) if x.version == expected => {
                *x = p.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn search(
        &mut self,
        q: &PostingQuery,
        page: PageRequest,
    ) -> Result<Page<Posting>, DomainError> {
        let mut all: Vec<Posting> = self
            .postings
            .values()
            .filter(|p| q.matches(p))
            .cloned()
            .collect();
        all.sort_by_key(|p| std::cmp::Reverse(p.posting_no));
        let total = all.len() as u64;
        let items = all
            .into_iter()
            .skip(page.offset() as usize)
            .take(page.limit() as usize)
            .collect();
        Ok(Page::new(items, page, total))
    }
}

fn staff(institution: InstitutionId) -> Actor {
    Actor::InstitutionStaff {
        account_id: StaffAccountId::new(),
        institution_id: institution,
    }
}

fn citizen() -> Actor {
    Actor::Citizen {
        tckn: Tckn::parse("10000000146").unwrap(),
    }
}

fn input() -> PostingInput {
    PostingInput {
        title: "Sözleşmeli Bilişim Personeli Alımı".into(),
        main_text: "Bakanlığımız merkez teşkilatına sözleşmeli personel alınacaktır.".into(),
        starts_on: date!(2026 - 12 - 01),
        ends_on: date!(2026 - 12 - 15),
        sub_postings: vec![
            SubPostingInput {
                title: "Bilişim Uzmanı".into(),
                text: "Rust ve SQL bilen yazılım geliştirici.".into(),
                vacancies: 2,
                reserve_count: 1,
                province: 6,
                education_level: "bachelor".into(),
                employment_type: "contracted".into(),
                requirements: vec!["Bilgisayar mühendisliği lisans".into()],
            },
            SubPostingInput {
                title: "Destek Personeli".into(),
                text: "Büro işlerinde destek verecek personel.".into(),
                vacancies: 3,
                reserve_count: 0,
                province: 34,
                education_level: "high_school".into(),
                employment_type: "permanent_worker".into(),
                requirements: vec![],
            },
        ],
        stages: vec![StageInput {
            kind: "interview".into(),
            name: None,
            starts_at: datetime!(2026-12-20 10:00 +03:00),
            mode: "online".into(),
            place: None,
        }],
    }
}

struct World {
    store: Fake,
    owner: Actor,
    other: Actor,
    institution: InstitutionId,
}

fn world() -> World {
    let a = InstitutionId::new();
    let b = InstitutionId::new();
    World {
        store: Fake::new(&[a, b]),
        owner: staff(a),
        other: staff(b),
        institution: a,
    }
}

fn published(w: &mut World) -> Posting {
    let p = create_posting(&mut w.store, &w.owner, input(), NOW).unwrap();
    publish_posting(&mut w.store, &w.owner, p.id, Some(p.version), NOW).unwrap()
}

fn list(
    w: &mut World,
    actor: Option<&Actor>,
    listing: Listing,
    filters: PostingFilters,
    now: OffsetDateTime,
) -> Result<Vec<i64>, DomainError> {
    search_postings(
        &mut w.store,
        actor,
        listing,
        filters,
        PageRequest::first(),
        now,
    )
    .map(|p| p.items.into_iter().map(|x| x.posting_no).collect())
}

fn fields(e: &DomainError) -> Vec<&str> {
    e.fields.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn only_institution_staff_create_and_a_draft_is_numbered() {
    let mut w = world();
    let e = create_posting(&mut w.store, &citizen(), input(), NOW).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_ref()),
        (ErrorKind::Forbidden, "posting.institution_only")
    );
    let p = create_posting(&mut w.store, &w.owner, input(), NOW).unwrap();
    assert_eq!(p.status, PostingStatus::Draft);
    assert_eq!(p.posting_no, 1);
    assert_eq!(p.institution_id, w.institution);
    assert_eq!(p.institution_name, "Kurum 0");
    let h = posting_history(&mut w.store, &w.owner, p.id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].note.as_deref(), Some("İlan Oluşturuldu"));
    assert_eq!(h[0].to_state, "draft");
    assert_eq!(h[0].from_state, None);
}

#[test]
fn a_draft_is_seen_only_by_its_institution() {
    let mut w = world();
    let p = create_posting(&mut w.store, &w.owner, input(), NOW).unwrap();
    for actor in [None, Some(&w.other), Some(&citizen())] {
        let e = get_posting(&mut w.store, actor, p.id, NOW).unwrap_err();
        assert_eq!(e.code, "posting.not_found");
    }
    assert!(get_posting(&mut w.store, Some(&w.owner), p.id, NOW).is_ok());
    assert!(list(
        &mut w,
        None,
        Listing::Active,
        PostingFilters::default(),
        NOW
    )
    .unwrap()
    .is_empty());
    let owner = w.owner.clone();
    let other = w.other.clone();
    assert_eq!(
        list(
            &mut w,
            Some(&owner),
            Listing::Own,
            PostingFilters::default(),
            NOW
        )
        .unwrap(),
        [1]
    );
    assert!(list(
        &mut w,
        Some(&other),
        Listing::Own,
        PostingFilters::default(),
        NOW
    )
    .unwrap()
    .is_empty());
    // Another institution cannot touch it, and learns nothing of it.
    for e in [
        publish_posting(&mut w.store, &other, p.id, None, NOW).unwrap_err(),
        cancel_posting(&mut w.store, &other, p.id, "Gerek kalmadı", None, NOW).unwrap_err(),
        replace_posting(&mut w.store, &other, p.id, input(), None, NOW).unwrap_err(),
        posting_history(&mut w.store, &other, p.id).unwrap_err(),
        posting_history(&mut w.store, &citizen(), p.id).unwrap_err(),
    ] {
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::NotFound, "posting.not_found")
        );
    }
}

#[test]
fn who_lists_which_view() {
    let mut w = world();
    published(&mut w);
    let e = list(
        &mut w,
        None,
        Listing::Archive,
        PostingFilters::default(),
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_ref()),
        (ErrorKind::Unauthenticated, "auth.required")
    );
    for actor in [None, Some(citizen())] {
        let e = list(
            &mut w,
            actor.as_ref(),
            Listing::Own,
            PostingFilters::default(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(e.code, "posting.institution_only");
    }
    let c = citizen();
    assert!(list(
        &mut w,
        Some(&c),
        Listing::Archive,
        PostingFilters::default(),
        NOW
    )
    .unwrap()
    .is_empty());
    let e = list(
        &mut w,
        None,
        Listing::Active,
        PostingFilters {
            status: Some(PostingStatus::Draft),
            ..Default::default()
        },
        NOW,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["status"]);
}

#[test]
fn publish_refusals() {
    let mut w = world();
    let mut no_stages = input();
    no_stages.stages.clear();
    let p = create_posting(&mut w.store, &w.owner, no_stages, NOW).unwrap();
    let e = publish_posting(&mut w.store, &w.owner, p.id, None, NOW).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_ref()),
        (ErrorKind::Invalid, "posting.no_stages")
    );
    assert_eq!(fields(&e), ["stages"]);

    let p = create_posting(&mut w.store, &w.owner, input(), NOW).unwrap();
    let e = publish_posting(&mut w.store, &w.owner, p.id, Some(7), NOW).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PreconditionFailed);
    let late = datetime!(2026-12-16 00:00 +03:00);
    let e = publish_posting(&mut w.store, &w.owner, p.id, None, late).unwrap_err();
    assert_eq!(e.code, "posting.window_ended");
    assert_eq!(fields(&e), ["ends_on"]);
    // The last day of the window still publishes.
    let last = datetime!(2026-12-15 23:59:59 +03:00);
    let p = publish_posting(&mut w.store, &w.owner, p.id, None, last).unwrap();
    assert_eq!(p.status, PostingStatus::Published);
    assert_eq!(p.published_at, Some(last));
    assert_eq!(p.version, 2);
    let e = publish_posting(&mut w.store, &w.owner, p.id, None, last).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_ref()),
        (ErrorKind::Conflict, "posting.not_draft")
    );
    let h = posting_history(&mut w.store, &w.owner, p.id).unwrap();
    assert_eq!(h[1].note.as_deref(), Some("İlan Yayımlandı"));
    assert_eq!(h[1].from_state.as_deref(), Some("draft"));
    assert_eq!(h[1].to_state, "published");
}

#[test]
fn the_window_ends_at_midnight_istanbul() {
    let mut w = world();
    let p = published(&mut w);
    let c = citizen();
    let last = datetime!(2026-12-15 23:59:59 +03:00);
    let next = datetime!(2026-12-16 00:00 +03:00);
    let none = PostingFilters::default;

    assert_eq!(
        list(&mut w, None, Listing::Active, none(), last).unwrap(),
        [1]
    );
    assert!(list(&mut w, Some(&c), Listing::Archive, none(), last)
        .unwrap()
        .is_empty());
    assert!(get_posting(&mut w.store, None, p.id, last).is_ok());

    assert!(list(&mut w, None, Listing::Active, none(), next)
        .unwrap()
        .is_empty());
    assert_eq!(
        list(&mut w, Some(&c), Listing::Archive, none(), next).unwrap(),
        [1]
    );
    assert_eq!(
        get_posting(&mut w.store, None, p.id, next)
            .unwrap_err()
            .code,
        "posting.not_found"
    );
    assert!(get_posting(&mut w.store, Some(&c), p.id, next).is_ok());
    // Before the window opens, a published posting is the institution's alone.
    let before = datetime!(2026-11-30 23:59 +03:00);
    assert!(get_posting(&mut w.store, Some(&c), p.id, before).is_err());
    assert!(get_posting(&mut w.store, Some(&w.owner), p.id, before).is_ok());
}

#[test]
fn filters_hold_for_the_same_sub_posting() {
    let mut w = world();
    published(&mut w);
    let institution = w.institution;
    let run = |w: &mut World, f: PostingFilters| list(w, None, Listing::Active, f, NOW).unwrap();
    let p6 = Some(ProvinceCode::new(6).unwrap());
    let p34 = Some(ProvinceCode::new(34).unwrap());
    assert_eq!(
        run(
            &mut w,
            PostingFilters {
                province: p34,
                education_level: Some("high_school".into()),
                ..Default::default()
            }
        ),
        [1]
    );
    assert!(run(
        &mut w,
        PostingFilters {
            province: p6,
            education_level: Some("high_school".into()),
            ..Default::default()
        }
    )
    .is_empty());
    assert_eq!(
        run(
            &mut w,
            PostingFilters {
                position: Some("BİLİSİM".into()),
                employment_type: Some(EmploymentType::Contracted),
                ..Default::default()
            }
        ),
        [1]
    );
    assert!(run(
        &mut w,
        PostingFilters {
            position: Some("bilisim".into()),
            employment_type: Some(EmploymentType::PermanentWorker),
            ..Default::default()
        }
    )
    .is_empty());
    assert_eq!(
        run(
            &mut w,
            PostingFilters {
                keyword: Some("sozlesmeli  kurum".into()),
                institution_id: Some(institution),
                ..Default::default()
            }
        ),
        [1]
    );
    assert!(run(
        &mut w,
        PostingFilters {
            keyword: Some("sozlesmeli ozel".into()),
            ..Default::default()
        }
    )
    .is_empty());
    assert!(run(
        &mut w,
        PostingFilters {
            institution_id: Some(InstitutionId::new()),
            ..Default::default()
        }
    )
    .is_empty());
}

#[test]
fn a_published_posting_keeps_the_rules_of_the_game() {
    let mut w = world();
    let p = published(&mut w);
    let mut bad = input();
    bad.sub_postings[0].vacancies = 5;
    bad.stages[0].kind = "written_exam".into();
    let e = replace_posting(&mut w.store, &w.owner, p.id, bad, Some(p.version), NOW).unwrap_err();
    assert_eq!(fields(&e), ["sub_postings[0].vacancies", "stages[0].kind"]);

    let mut ok = input();
    ok.main_text = "Düzeltilmiş ana metin: başvurular e-Devlet üzerinden alınır.".into();
    ok.ends_on = date!(2026 - 12 - 18);
    let q = replace_posting(
        &mut w.store,
        &w.owner,
        p.id,
        ok.clone(),
        Some(p.version),
        NOW,
    )
    .unwrap();
    assert_eq!(q.version, p.version + 1);
    assert_eq!(q.ends_on, date!(2026 - 12 - 18));
    assert_eq!(q.status, PostingStatus::Published);
    let e = replace_posting(&mut w.store, &w.owner, p.id, ok, Some(p.version), NOW).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PreconditionFailed);
    let h = posting_history(&mut w.store, &w.owner, p.id).unwrap();
    assert_eq!(h.last().unwrap().note.as_deref(), Some("İlan Güncellendi"));

    // A draft changes freely.
    let d = create_posting(&mut w.store, &w.owner, input(), NOW).unwrap();
    let mut changed = input();
    changed.sub_postings[0].vacancies = 9;
    changed.starts_on = date!(2026 - 12 - 05);
    let d = replace_posting(&mut w.store, &w.owner, d.id, changed, None, NOW).unwrap();
    assert_eq!(d.sub_postings[0].vacancies, 9);
}

#[test]
fn after_the_window_a_posting_is_edited_while_its_end_date_stays() {
    let mut w = world();
    let p = published(&mut w);
    // The window (until 15 December) closed at 00:00 Istanbul on the 16th.
    let last = datetime!(2026-12-15 23:59 +03:00);
    let closed = datetime!(2026-12-16 00:00 +03:00);
    let p = replace_posting(&mut w.store, &w.owner, p.id, input(), None, last).unwrap();
    // The same body, then the stage moved and held in person: still editable.
    let p = replace_posting(&mut w.store, &w.owner, p.id, input(), None, closed).unwrap();
    let mut moved = input();
    moved.stages[0].starts_at = datetime!(2026-12-22 14:00 +03:00);
    moved.stages[0].mode = "in_person".into();
    moved.stages[0].place = Some("Ankara, Bakanlık Toplantı Salonu".into());
    let p = replace_posting(&mut w.store, &w.owner, p.id, moved.clone(), None, closed).unwrap();
    assert_eq!(p.stages[0].starts_at, datetime!(2026-12-22 14:00 +03:00));
    // A new end date is checked: one already passed is refused.
    let mut reopened = moved;
    let late = datetime!(2026-12-17 09:00 +03:00);
    reopened.ends_on = date!(2026 - 12 - 16);
    let e =
        replace_posting(&mut w.store, &w.owner, p.id, reopened.clone(), None, late).unwrap_err();
    assert_eq!(e.code, "validation.failed");
    assert_eq!(fields(&e), ["ends_on"]);
    assert_eq!(e.fields[0].code, "posting.window_ended");
    // A later end date not yet passed is accepted (stages still after it).
    reopened.ends_on = date!(2026 - 12 - 17);
    assert!(replace_posting(&mut w.store, &w.owner, p.id, reopened, None, late).is_ok());
}

#[test]
fn cancel_needs_a_reason_and_happens_once() {
    let mut w = world();
    let p = published(&mut w);
    let e = cancel_posting(&mut w.store, &w.owner, p.id, " abc ", None, NOW).unwrap_err();
    assert_eq!(fields(&e), ["reason"]);
    let c = cancel_posting(
        &mut w.store,
        &w.owner,
        p.id,
        "Kadro iptal edildi",
        Some(p.version),
        NOW,
    )
    .unwrap();
    assert_eq!(c.status, PostingStatus::Cancelled);
    assert_eq!(c.cancel_reason.as_deref(), Some("Kadro iptal edildi"));
    assert_eq!(c.cancelled_at, Some(NOW));
    for e in [
        cancel_posting(&mut w.store, &w.owner, p.id, "Bir daha iptal", None, NOW).unwrap_err(),
        replace_posting(&mut w.store, &w.owner, p.id, input(), None, NOW).unwrap_err(),
        publish_posting(&mut w.store, &w.owner, p.id, None, NOW).unwrap_err(),
    ] {
        assert_eq!(e.kind, ErrorKind::Conflict);
    }
    assert!(get_posting(&mut w.store, Some(&citizen()), p.id, NOW).is_err());
    assert!(get_posting(&mut w.store, Some(&w.owner), p.id, NOW).is_ok());
    let h = posting_history(&mut w.store, &w.owner, p.id).unwrap();
    assert_eq!(
        h.last().unwrap().note.as_deref(),
        Some("İlan İptal Edildi: Kadro iptal edildi")
    );
    // A draft can be cancelled too.
    let d = create_posting(&mut w.store, &w.owner, input(), NOW).unwrap();
    assert!(cancel_posting(&mut w.store, &w.owner, d.id, "Vazgeçildi", None, NOW).is_ok());
}

#[test]
fn nothing_changes_after_the_placement_is_published() {
    let mut w = world();
    let mut p = published(&mut w);
    p.placement_published_at = Some(NOW);
    w.store.postings.insert(p.id, p.clone());
    for e in [
        cancel_posting(
            &mut w.store,
            &w.owner,
            p.id,
            "Kadro iptal edildi",
            None,
            NOW,
        )
        .unwrap_err(),
        replace_posting(&mut w.store, &w.owner, p.id, input(), None, NOW).unwrap_err(),
    ] {
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "posting.placement_published")
        );
    }
}
