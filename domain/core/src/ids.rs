//! Resource ids: UUIDv7 newtypes, time-ordered, one type per resource so they cannot be mixed up.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn from_uuid(u: Uuid) -> Self {
                Self(u)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

define_id!(/// An Açık Kapı working sector (çalışma sektörü).
    SectorId);
define_id!(/// A staff account (institution HR, İŞKUR staff, ministry evaluator, administrator).
    StaffAccountId);
define_id!(/// A public institution (kurum) that publishes postings.
    InstitutionId);
define_id!(/// An employer (işveren).
    EmployerId);
define_id!(/// An employer's workplace (işyeri): head office or branch.
    WorkplaceId);
define_id!(/// A Kariyer Kapısı posting (ilan).
    PostingId);
define_id!(/// A Kariyer Kapısı application (başvuru).
    ApplicationId);
define_id!(/// An İŞKUR labour demand (işgücü istemi).
    LabourDemandId);
define_id!(/// A job seeker on a labour demand's candidate list (aday): applied or selected.
    DemandCandidateId);
define_id!(/// An e-İzin work-permit application.
    WorkPermitId);
define_id!(/// An Açık Kapı petition (başvuru).
    PetitionId);
define_id!(/// An Açık Kapı desk user: Sorumlu (AKS) or Yetkili (unit officer).
    PetitionUserId);
define_id!(/// A file attached to a petition or to a unit's answer.
    PetitionFileId);
define_id!(/// A monthly workforce chart (aylık işgücü çizelgesi).
    WorkforceChartId);
define_id!(/// A mass-layoff notice (toplu işten çıkarma bildirimi).
    MassLayoffId);
define_id!(/// An annual survey (genel anket) of a head office.
    SurveyId);
define_id!(/// A one-time code challenge (SMS / e-mail).
    OtpChallengeId);
define_id!(/// A message in the notification outbox.
    NotificationId);
define_id!(/// An integrator account (another agency, a job board, an HR system, a city app).
    IntegratorId);
define_id!(/// A change event in the transactional outbox behind the feeds and webhooks.
    EventId);
define_id!(/// An integrator's webhook subscription.
    WebhookId);
define_id!(/// One event's delivery to one webhook (retried until delivered or given up).
    WebhookDeliveryId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_ordered() {
        let a = SectorId::new();
        let b = SectorId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a <= b);
        let parsed: SectorId = a.to_string().parse().unwrap();
        assert_eq!(parsed, a);
        assert!("not-a-uuid".parse::<SectorId>().is_err());
    }
}
