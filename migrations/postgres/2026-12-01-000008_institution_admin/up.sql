-- One institution per name after the Turkish search fold (the use case checks first and
-- answers 409 institution.name_taken; this index is the backstop) and per DETSİS number.
CREATE UNIQUE INDEX institutions_by_search_key ON institutions (search_key);
CREATE UNIQUE INDEX institutions_by_detsis_no ON institutions (detsis_no);
CREATE INDEX staff_accounts_by_institution ON staff_accounts (institution_id);
