-- A stage's items and a touchpoint's items, read through an index, as SQLite's 003
-- (storage/postgres/items.py: list_where).
CREATE INDEX IF NOT EXISTS items_by_stage ON items (workshop_id, kind, (data->>'stage_id'));
CREATE INDEX IF NOT EXISTS items_by_touchpoint ON items (workshop_id, kind, (data->>'touchpoint_id'));
