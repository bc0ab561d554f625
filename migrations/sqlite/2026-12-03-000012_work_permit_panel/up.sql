-- e-İzin employer panel and the application wizard's files.
-- work_permit_employer_users: the people an employer's owner authorised (Yetkilendirme
-- İşlemleri); revoking deletes the row (the history keeps it).
-- work_permit_files: every photo and PDF uploaded for an application (bytes in the blob
-- store under sha256), so a step can only name a file uploaded for that application.
-- e_signatures: what the local e-signature service signed (signer, document, time).
CREATE TABLE work_permit_employer_users (
    employer_id TEXT NOT NULL REFERENCES work_permit_employers (id),
    tckn TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    authorised_by TEXT NOT NULL,
    authorised_at TIMESTAMP NOT NULL,
    PRIMARY KEY (employer_id, tckn)
);
CREATE INDEX work_permit_employer_users_by_person ON work_permit_employer_users (tckn);

CREATE TABLE work_permit_files (
    application_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, sha256)
);

CREATE TABLE e_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    signer_tckn TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL
);
CREATE INDEX e_signatures_by_document ON e_signatures (document_sha256);
