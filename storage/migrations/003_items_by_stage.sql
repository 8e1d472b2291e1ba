-- A stage's items and a touchpoint's items, read through an index: the conversation asks
-- for the touchpoints and pain points of the stage it is at, and the KPIs of the
-- touchpoint (storage/items.py: list_where), not for every item of the workshop.
CREATE INDEX IF NOT EXISTS items_by_stage ON items(workshop_id, kind, json_extract(data, '$.stage_id'));
CREATE INDEX IF NOT EXISTS items_by_touchpoint ON items(workshop_id, kind, json_extract(data, '$.touchpoint_id'));
