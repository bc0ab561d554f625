-- e-İzin after the permit (İzin Sonrası İşlemler).
-- work_permit_cargo_shipments: the simulated PTT cargo's own record of the cards handed to
-- it (tracking number, application, acceptance time); PTT's tracking events are computed
-- from the acceptance time (delivered 48 hours later).
-- work_permit_terminations: the permits whose termination was requested (one per
-- application): the running-permit and extension-chain queries leave them out. The whole
-- request lives in the application's JSON document.
CREATE TABLE work_permit_cargo_shipments (
    tracking_no TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL,
    accepted_at TIMESTAMP NOT NULL
);
CREATE INDEX work_permit_cargo_shipments_by_application ON work_permit_cargo_shipments (application_id);

CREATE TABLE work_permit_terminations (
    application_id TEXT PRIMARY KEY NOT NULL,
    termination_date DATE NOT NULL,
    filed_at TIMESTAMP NOT NULL
);
