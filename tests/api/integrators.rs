//! Integrators (issue 8): accounts and keys; change feeds written by concurrent requests and
//! paged at the same time, ending with exactly the committed events in order; who reads which
//! feed (an employer's only its own permits); webhooks delivered to a receiver on 127.0.0.1
//! with valid signatures despite injected 500s, retried after the back-off (not before), again
//! after a worker died mid-delivery, and never to a removed webhook or a revoked account.

use actix_web::http::Method;
use kapi_api::webhooks::{run_webhooks, HttpTransport, WebhookReport};
use kapi_tests::receiver::Receiver;
use kapi_tests::work_permit_fixture::{household_employer, submitted_work_permit, HOUSEHOLD_OWNER};
use kapi_tests::{both_backends, join_all, json};
use serde_json::Value;
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950";

fn quick_demand(workplace: &str, workers: u32) -> Value {
    json!({
        "workplace_id": workplace, "occupation_code": "4110.01",
        "worker_count": workers, "last_application_date": "2026-04-30"
    })
}

fn events(r: &kapi_tests::Resp) -> Vec<Value> {
    r.body["events"].as_array().cloned().unwrap_or_default()
}

/// Issues an integrator account as the demo administrator; returns (id, key).
macro_rules! integrator {
    ($app:expr, $body:expr) => {{
        let admin = $app.staff_token("admin").await;
        let r = $app.post("/api/v1/integrators", Some(&admin), $body).await;
        r.expect(201);
        (
            r.body["id"].as_str().unwrap().to_owned(),
            r.body["api_key"].as_str().unwrap().to_owned(),
        )
    }};
}

macro_rules! with_key {
    ($app:expr, $method:expr, $path:expr, $key:expr, $body:expr) => {{
        let mut req = actix_web::test::TestRequest::default()
            .method($method)
            .uri($path)
            .insert_header(("X-Api-Key", $key));
        if let Some(b) = $body {
            req = req.set_json(b);
        }
        $app.call(req).await
    }};
}

/// One delivery round at `now`, as the in-process worker runs it.
macro_rules! deliver {
    ($app:expr, $now:expr) => {{
        let db = $app.state.db.clone();
        let now: OffsetDateTime = $now;
        actix_web::web::block(move || run_webhooks(&db, &HttpTransport::new(true), now))
            .await
            .unwrap()
            .unwrap()
    }};
}

both_backends! {
    async fn a_reader_paging_during_concurrent_writes_ends_with_exactly_the_committed_events_in_order(app) {
        app.set_clock("2026-03-10T06:00:00Z").await;
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        // The demo data's events come first; start after them.
        let head_seq: i64 = app.get("/api/v1/feeds/labour-demands?limit=1000", None).await.body["next_cursor"].as_str().unwrap().parse().unwrap();
        let done = std::cell::Cell::new(false);
        let writers = async {
            let creates = (1..=12).map(|n| app.post("/api/v1/labour-demands/quick", Some(&token), quick_demand(&head, n))).collect();
            let ids: Vec<String> = join_all(creates).await.iter().map(|r| {
                r.expect(201);
                r.body["id"].as_str().unwrap().to_owned()
            }).collect();
            let close_paths: Vec<String> = ids.iter().step_by(2).map(|id| format!("/api/v1/labour-demands/{id}/close")).collect();
            let closes = close_paths.iter().map(|p| app.post(p, Some(&token), json!({"reason": "other", "note": "Vazgeçildi"}))).collect();
            for r in join_all(closes).await {
                r.expect(200);
            }
            done.set(true);
            ids.into_iter().map(Value::from).collect::<Vec<Value>>()
        };
        let reader = async {
            let mut cursor = head_seq.to_string();
            let mut seen = Vec::new();
            loop {
                // Read the flag before the page: once the writers are done, a page that is not
                // full is the end.
                let finished = done.get();
                let r = app.get(&format!("/api/v1/feeds/labour-demands?cursor={cursor}&limit=3"), None).await;
                r.expect(200);
                seen.extend(events(&r));
                let next = r.body["next_cursor"].as_str().unwrap().to_owned();
                assert!(next.parse::<i64>().unwrap() >= cursor.parse::<i64>().unwrap_or(0));
                cursor = next;
                if finished && !r.body["has_more"].as_bool().unwrap() {
                    break;
                }
                actix_web::rt::task::yield_now().await;
            }
            seen
        };
        let both: Vec<Pin<Box<dyn Future<Output = Vec<Value>> + '_>>> = vec![Box::pin(writers), Box::pin(reader)];
        let mut out = join_all(both).await;
        let seen = out.pop().unwrap();
        let ids: Vec<String> = out.pop().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();

        // Exactly the committed events: 12 created + 6 closed, numbered on without gaps.
        let seqs: Vec<i64> = seen.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (head_seq + 1..=head_seq + 18).collect::<Vec<i64>>(), "{seen:?}");
        let created: HashSet<String> = seen.iter().filter(|e| e["kind"] == "created").map(|e| e["resource_id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(created, ids.iter().cloned().collect::<HashSet<_>>());
        let closed: HashSet<String> = seen.iter().filter(|e| e["kind"] == "status_changed").map(|e| {
            assert_eq!((e["status"].as_str(), e["previous_status"].as_str(), e["type"].as_str()), (Some("closed"), Some("active"), Some("labour_demand.status_changed")));
            e["resource_id"].as_str().unwrap().to_owned()
        }).collect();
        assert_eq!(closed, ids.iter().step_by(2).cloned().collect::<HashSet<_>>());
        // Each demand's own events keep their order: created before closed.
        for id in &closed {
            let kinds: Vec<&str> = seen.iter().filter(|e| e["resource_id"] == id.as_str()).map(|e| e["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds, vec!["created", "status_changed"]);
        }
        // The same events again in one page, and nothing after the end.
        let all = app.get(&format!("/api/v1/feeds/labour-demands?cursor={head_seq}&limit=1000"), None).await;
        assert_eq!(events(&all), seen);
        let end = (head_seq + 18).to_string();
        assert_eq!(all.body["next_cursor"], end.as_str());
        let after = app.get(&format!("/api/v1/feeds/labour-demands?cursor={end}"), None).await;
        assert!(events(&after).is_empty());
        assert_eq!((after.body["next_cursor"].as_str(), after.body["has_more"].as_bool()), (Some(end.as_str()), Some(false)));

        // Bad cursors and limits name the field; an unknown feed is 404.
        app.get("/api/v1/feeds/labour-demands?cursor=-1", None).await.problem(422, "validation.failed");
        let r = app.get("/api/v1/feeds/labour-demands?cursor=abc", None).await;
        assert_eq!((r.status, r.field()), (422, "cursor"));
        let r = app.get("/api/v1/feeds/labour-demands?limit=1001", None).await;
        assert_eq!((r.status, r.field()), (422, "limit"));
        app.get("/api/v1/feeds/job-seekers", None).await.problem(404, "feed.not_found");
    }

    async fn a_posting_enters_its_feed_when_published_and_drafts_stay_out(app) {
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.post("/api/v1/postings", Some(&kurum), crate::postings::body()).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let mine = |r: &kapi_tests::Resp| -> Vec<(String, String, Option<String>)> {
            events(r).iter().filter(|e| e["resource_id"] == id.as_str()).map(|e| (
                e["kind"].as_str().unwrap().to_owned(),
                e["status"].as_str().unwrap().to_owned(),
                e["previous_status"].as_str().map(str::to_owned),
            )).collect()
        };
        let feed = app.get("/api/v1/feeds/postings?limit=1000", None).await;
        assert!(mine(&feed).is_empty(), "a draft is not public: {}", feed.text);
        app.send(Method::POST, &format!("/api/v1/postings/{id}/publish"), Some(&kurum), None).await.expect(200);
        app.post(&format!("/api/v1/postings/{id}/cancel"), Some(&kurum), json!({"reason": "Kadro iptal edildi"})).await.expect(200);
        let feed = app.get("/api/v1/feeds/postings?limit=1000", None).await;
        assert_eq!(mine(&feed), vec![
            ("created".to_owned(), "published".to_owned(), None),
            ("status_changed".to_owned(), "cancelled".to_owned(), Some("published".to_owned())),
        ]);
        assert!(events(&feed).iter().all(|e| e["resource_kind"] == "posting" && e["type"].as_str().unwrap().starts_with("posting.")));
    }

    async fn each_reader_gets_its_own_feeds_and_an_employer_only_its_own_permits(app) {
        let now = datetime!(2026-03-10 09:00 UTC);
        app.set_clock("2026-03-10T09:00:00Z").await;
        let db = app.state.db.clone();
        let (permit, other_employer) = actix_web::web::block(move || {
            let p = submitted_work_permit(&db, &kapi_core::with_tckn_checksum("991234567").unwrap(), now)?;
            let other = db.write(|c| household_employer(c, MEHMET, now))?;
            Ok::<_, kapi_core::DomainError>((p, other))
        }).await.unwrap().unwrap();
        let employer = permit.employer_id.clone();

        // Anonymous: the public feeds only.
        app.get("/api/v1/feeds/postings", None).await.expect(200);
        app.get("/api/v1/feeds/petitions", None).await.problem(401, "auth.required");
        app.get("/api/v1/feeds/work-permits", None).await.problem(401, "auth.required");
        // A citizen is not staff.
        let citizen = app.citizen_token(AYSE).await;
        app.get("/api/v1/feeds/petitions", Some(&citizen)).await.problem(403, "feed.forbidden");
        app.get("/api/v1/feeds/work-permits", Some(&citizen)).await.problem(403, "feed.forbidden");

        // The Ministry sees every application's events; the owner the employer's own.
        let ministry = app.staff_token("bakanlik.degerlendirici").await;
        let all = app.get("/api/v1/feeds/work-permits", Some(&ministry)).await;
        all.expect(200);
        let all_events = events(&all);
        assert!(!all_events.is_empty());
        assert!(all_events.iter().all(|e| e["resource_id"] == permit.application_id.as_str()));
        assert_eq!(all_events.last().unwrap()["status"], "submitted");
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let own = app.get(&format!("/api/v1/work-permit-employers/{employer}/feed"), Some(&owner)).await;
        own.expect(200);
        assert_eq!(events(&own), all_events);
        // Another person cannot read that employer's feed, nor can its owner read another's.
        app.get(&format!("/api/v1/work-permit-employers/{employer}/feed"), Some(&citizen)).await
            .problem(404, "work_permit.employer_not_found");
        app.get(&format!("/api/v1/work-permit-employers/{other_employer}/feed"), Some(&owner)).await
            .problem(404, "work_permit.employer_not_found");
        app.get(&format!("/api/v1/work-permit-employers/{employer}/feed?cursor=x"), Some(&owner)).await
            .problem(422, "validation.failed");

        // Integrators: unbound → petitions yes, work permits no; bound → its employer's only.
        let (_, unbound) = integrator!(app, json!({"name": "Başkent 153"}));
        with_key!(app, Method::GET, "/api/v1/feeds/petitions", unbound.as_str(), None::<Value>).expect(200);
        with_key!(app, Method::GET, "/api/v1/feeds/work-permits", unbound.as_str(), None::<Value>).problem(403, "feed.forbidden");
        let (_, bound) = integrator!(app, json!({"name": "Çelik Ailesi İK", "work_permit_employer_id": employer}));
        let mine = with_key!(app, Method::GET, "/api/v1/feeds/work-permits", bound.as_str(), None::<Value>);
        mine.expect(200);
        assert_eq!(events(&mine), all_events);
        let (_, elsewhere) = integrator!(app, json!({"name": "Başka İşveren", "work_permit_employer_id": other_employer.to_string()}));
        let theirs = with_key!(app, Method::GET, "/api/v1/feeds/work-permits", elsewhere.as_str(), None::<Value>);
        theirs.expect(200);
        assert!(events(&theirs).is_empty(), "another employer's permits: {}", theirs.text);
        // A wrong key is refused, not treated as anonymous.
        with_key!(app, Method::GET, "/api/v1/feeds/postings", "kapi_wrong", None::<Value>).problem(401, "integrator.invalid_api_key");
    }

    async fn an_administrator_issues_lists_and_revokes_integrator_accounts(app) {
        let admin = app.staff_token("admin").await;
        let kurum = app.staff_token("kurum.ik").await;
        app.post("/api/v1/integrators", Some(&kurum), json!({"name": "Kurumun Uygulaması"})).await
            .problem(403, "integrator.forbidden");
        app.post("/api/v1/integrators", None, json!({"name": "Anonim"})).await.expect(401);
        let r = app.post("/api/v1/integrators", Some(&admin), json!({"name": "x", "work_permit_employer_id": "0190f000-0000-7000-8000-000000000000"})).await;
        r.problem(422, "validation.failed");
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["name", "work_permit_employer_id"]);
        let before = app.get("/api/v1/integrators", Some(&admin)).await;
        before.expect(200);
        let r = app.post("/api/v1/integrators", Some(&admin), json!({"name": "  İzmir   Kent Uygulaması "})).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let key = r.body["api_key"].as_str().unwrap().to_owned();
        assert_eq!(r.body["name"], "İzmir Kent Uygulaması");
        assert_eq!(r.header("location").unwrap(), format!("/api/v1/integrators/{id}"));
        let me = with_key!(app, Method::GET, "/api/v1/integrators/me", key.as_str(), None::<Value>);
        me.expect(200);
        assert_eq!(me.body["id"], id.as_str());
        assert!(me.body.get("api_key").is_none(), "the key is shown once");
        let list = app.get("/api/v1/integrators", Some(&admin)).await;
        assert_eq!(list.body["total"].as_u64().unwrap(), before.body["total"].as_u64().unwrap() + 1);
        assert!(!list.text.contains(&key));
        app.get("/api/v1/integrators/me", None).await.problem(401, "integrator.missing_api_key");
        app.send(Method::DELETE, &format!("/api/v1/integrators/{id}"), Some(&kurum), None).await.problem(403, "integrator.forbidden");
        let r = app.send(Method::DELETE, &format!("/api/v1/integrators/{id}"), Some(&admin), None).await;
        r.expect(200);
        assert!(r.body["revoked_at"].is_string());
        with_key!(app, Method::GET, "/api/v1/integrators/me", key.as_str(), None::<Value>).problem(401, "integrator.invalid_api_key");
        app.send(Method::DELETE, "/api/v1/integrators/0190f000-0000-7000-8000-000000000000", Some(&admin), None).await
            .problem(404, "integrator.not_found");
    }

    async fn a_receiver_gets_every_event_signed_despite_500s_and_a_dead_worker(app) {
        let t0 = datetime!(2026-03-10 06:00 UTC);
        app.set_clock("2026-03-10T06:00:00Z").await;
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let employer = app.employer_token(AYSE, None).await;
        // An event before the webhook exists is not sent to it.
        app.post("/api/v1/labour-demands/quick", Some(&employer), quick_demand(&head, 1)).await.expect(201);

        let receiver = Receiver::start(3);
        let (_, key) = integrator!(app, json!({"name": "İş Arama Portalı"}));
        let (_, other_key) = integrator!(app, json!({"name": "Başka Portal"}));
        // Refusals: a plain-http address elsewhere, a private address, unknown and
        // work-permit events for an unbound account.
        let r = with_key!(app, Method::POST, "/api/v1/webhooks", key.as_str(), Some(json!({
            "url": "http://hooks.example.com/kapi", "events": ["labour_demand.created", "work_permit.created", "labour_demand.deleted"]})));
        r.problem(422, "validation.failed");
        let fields: Vec<(&str, &str)> = r.body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(fields, vec![("url", "webhook.url"), ("events[1]", "webhook.event_not_allowed"), ("events[2]", "webhook.unknown_event")]);
        with_key!(app, Method::POST, "/api/v1/webhooks", key.as_str(), Some(json!({"url": "https://169.254.169.254/latest", "events": ["labour_demand.created"]})))
            .problem(422, "validation.failed");
        app.post("/api/v1/webhooks", None, json!({"url": receiver.url, "events": ["labour_demand.created"]})).await
            .problem(401, "integrator.missing_api_key");

        let r = with_key!(app, Method::POST, "/api/v1/webhooks", key.as_str(), Some(json!({
            "url": receiver.url, "events": ["labour_demand.created", "labour_demand.status_changed"]})));
        r.expect(201);
        let hook = r.body["id"].as_str().unwrap().to_owned();
        let secret = r.body["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("whsec_"));
        let listed = with_key!(app, Method::GET, "/api/v1/webhooks", key.as_str(), None::<Value>);
        assert_eq!(listed.body[0]["id"], hook.as_str());
        assert!(!listed.text.contains(&secret), "the secret is shown once");
        // Another account cannot see, read the log of, or remove it.
        with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}"), other_key.as_str(), None::<Value>).problem(404, "webhook.not_found");
        with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}/deliveries"), other_key.as_str(), None::<Value>).problem(404, "webhook.not_found");
        with_key!(app, Method::DELETE, &format!("/api/v1/webhooks/{hook}"), other_key.as_str(), None::<Value>).problem(404, "webhook.not_found");

        // Five events: four demands created, one closed.
        let mut ids = Vec::new();
        for n in 2..=5 {
            let r = app.post("/api/v1/labour-demands/quick", Some(&employer), quick_demand(&head, n)).await;
            r.expect(201);
            ids.push(r.body["id"].as_str().unwrap().to_owned());
        }
        app.post(&format!("/api/v1/labour-demands/{}/close", ids[0]), Some(&employer), json!({"reason": "other", "note": "Vazgeçildi"})).await.expect(200);

        // Round 1: the first three answers are 500.
        let r = deliver!(app, t0);
        assert_eq!(r, WebhookReport { enqueued: 5, delivered: 2, failed_attempts: 3 });
        let log = with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}/deliveries?status=pending"), key.as_str(), None::<Value>);
        log.expect(200);
        assert_eq!(log.body["total"], 3);
        for d in log.body["items"].as_array().unwrap() {
            assert_eq!((d["attempts"].as_u64(), d["last_status_code"].as_u64()), (Some(1), Some(500)));
            assert_eq!(d["next_attempt_at"], "2026-03-10T06:00:10Z");
        }
        // Not yet due 9 s later; due at 10 s.
        assert_eq!(deliver!(app, t0 + Duration::seconds(9)), WebhookReport::default());
        assert_eq!(deliver!(app, t0 + Duration::seconds(10)), WebhookReport { enqueued: 0, delivered: 3, failed_attempts: 0 });

        // Every event arrived with a valid signature; the 500s were retried with the same
        // event id (the receiver deduplicates on it).
        let got = receiver.received();
        assert_eq!(got.len(), 8);
        let mut delivered = HashSet::new();
        for g in &got {
            assert_eq!(g.path, "/hooks/kapi");
            let sig = g.headers.get("kapi-signature").unwrap();
            let at = t0;
            assert!(kapi_integrations::verify_signature(&secret, sig, &g.body, at, Duration::minutes(5)), "{sig}");
            assert!(!kapi_integrations::verify_signature("whsec_wrong", sig, &g.body, at, Duration::minutes(5)));
            let body: Value = serde_json::from_slice(&g.body).unwrap();
            assert_eq!(g.headers.get("kapi-event-id").map(String::as_str), body["id"].as_str());
            assert_eq!(g.headers.get("kapi-event-type").map(String::as_str), body["type"].as_str());
            assert_eq!(g.headers.get("content-type").map(String::as_str), Some("application/json"));
            if g.answered == 204 {
                assert!(delivered.insert(body["id"].as_str().unwrap().to_owned()), "delivered twice");
            }
        }
        assert_eq!(delivered.len(), 5);
        let retried: Vec<&str> = got.iter().filter(|g| g.headers["kapi-delivery-attempt"] == "2").map(|g| g.headers["kapi-event-id"].as_str()).collect();
        let failed: Vec<&str> = got.iter().filter(|g| g.answered == 500).map(|g| g.headers["kapi-event-id"].as_str()).collect();
        assert_eq!(retried, failed);
        // The feed and the deliveries carry the same event ids.
        let feed = app.get("/api/v1/feeds/labour-demands?limit=1000", None).await;
        let feed_ids: HashSet<String> = events(&feed).iter().filter(|e| ids.iter().any(|i| e["resource_id"] == i.as_str())).map(|e| e["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(feed_ids, delivered);
        let log = with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}/deliveries"), key.as_str(), None::<Value>);
        assert_eq!(log.body["total"], 5);
        assert!(log.body["items"].as_array().unwrap().iter().all(|d| d["status"] == "delivered" && d["next_attempt_at"].is_null()));
        with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}/deliveries?status=lost"), key.as_str(), None::<Value>)
            .problem(422, "validation.failed");

        // A worker that leased a delivery and died before recording it: the delivery goes out
        // again once the lease ends (at least once), with the same event id.
        let r = app.post("/api/v1/labour-demands/quick", Some(&employer), quick_demand(&head, 6)).await;
        r.expect(201);
        let t1 = t0 + Duration::minutes(5);
        let db = app.state.db.clone();
        let leased = actix_web::web::block(move || {
            db.write(|c| kapi_persistence::integrations::enqueue_deliveries(c, t1, 500))?;
            db.write(|c| kapi_persistence::integrations::claim_due(c, t1, Duration::seconds(60), 100))
        }).await.unwrap().unwrap();
        assert_eq!(leased.len(), 1);
        let lost_event = leased[0].0.event.id.to_string();
        // While leased, another worker does not send it.
        assert_eq!(deliver!(app, t1 + Duration::seconds(30)), WebhookReport::default());
        assert_eq!(deliver!(app, t1 + Duration::seconds(60)), WebhookReport { enqueued: 0, delivered: 1, failed_attempts: 0 });
        assert_eq!(receiver.received().last().unwrap().headers["kapi-event-id"], lost_event);

        // A removed webhook gets nothing more.
        with_key!(app, Method::DELETE, &format!("/api/v1/webhooks/{hook}"), key.as_str(), None::<Value>).expect(204);
        app.post("/api/v1/labour-demands/quick", Some(&employer), quick_demand(&head, 7)).await.expect(201);
        assert_eq!(deliver!(app, t1 + Duration::minutes(5)), WebhookReport::default());
        assert_eq!(receiver.received().len(), 9);
        with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}"), key.as_str(), None::<Value>).problem(404, "webhook.not_found");
    }

    async fn a_revoked_account_stops_receiving_and_an_unreachable_receiver_is_given_up(app) {
        let t0 = datetime!(2026-03-10 06:00 UTC);
        app.set_clock("2026-03-10T06:00:00Z").await;
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let employer = app.employer_token(AYSE, None).await;
        let (id, key) = integrator!(app, json!({"name": "Kapanan Portal"}));
        // Nothing listens on this port: every attempt fails, then the delivery is given up.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead_url = format!("http://127.0.0.1:{}/gone", closed.local_addr().unwrap().port());
        drop(closed);
        let r = with_key!(app, Method::POST, "/api/v1/webhooks", key.as_str(), Some(json!({"url": dead_url, "events": ["labour_demand.created"]})));
        r.expect(201);
        let hook = r.body["id"].as_str().unwrap().to_owned();
        app.post("/api/v1/labour-demands/quick", Some(&employer), quick_demand(&head, 1)).await.expect(201);
        let mut at = t0;
        for attempt in 1..=kapi_integrations::MAX_ATTEMPTS {
            let r = deliver!(app, at);
            assert_eq!(r.failed_attempts, 1, "attempt {attempt}");
            at += kapi_integrations::backoff(attempt);
        }
        let log = with_key!(app, Method::GET, &format!("/api/v1/webhooks/{hook}/deliveries"), key.as_str(), None::<Value>);
        let d = &log.body["items"][0];
        assert_eq!((d["status"].as_str(), d["attempts"].as_u64()), (Some("failed"), Some(10)));
        assert!(d["last_error"].as_str().unwrap().len() > 3);
        assert_eq!(deliver!(app, at + Duration::hours(2)), WebhookReport::default());

        // Revoked: the key stops working and nothing more is enqueued for its webhooks.
        let admin = app.staff_token("admin").await;
        app.send(Method::DELETE, &format!("/api/v1/integrators/{id}"), Some(&admin), None).await.expect(200);
        app.post("/api/v1/labour-demands/quick", Some(&employer), quick_demand(&head, 2)).await.expect(201);
        assert_eq!(deliver!(app, at + Duration::hours(3)), WebhookReport::default());
        with_key!(app, Method::GET, "/api/v1/webhooks", key.as_str(), None::<Value>).problem(401, "integrator.invalid_api_key");
    }
}
