ALTER TABLE workplaces DROP COLUMN details;
