-- A workplace's related persons (ilgili kişiler) and other details (diğer bilgiler), as one
-- JSON document: {"related_persons": [{"full_name", "role", "phone", "email"}], "activity",
-- "website", "notes"}.
ALTER TABLE workplaces ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
