DROP TABLE work_permit_fees;
DROP TABLE registry_yok_pre_permits;
DROP TABLE registry_mfa_references;
