-- Nothing to undo: the deleted answers held secrets that must not come back.
SELECT 1;
