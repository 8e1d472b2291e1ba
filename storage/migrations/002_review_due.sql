-- The review schedule as an index: one row per review (kept in step with the Review
-- documents by storage/items.py), so the scheduler finds what is due, what was claimed
-- but never delivered, and a workshop's open reviews without reading every review ever
-- written. Times are UTC seconds since the epoch.
CREATE TABLE review_due (
    review_id    TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    workshop_id  TEXT NOT NULL,
    touchpoint_id TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    status       TEXT NOT NULL,
    due_at       REAL NOT NULL,
    sent_at      REAL,
    delivered    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX review_due_scheduled ON review_due(due_at) WHERE status = 'scheduled';
CREATE INDEX review_due_stuck ON review_due(sent_at) WHERE status = 'sent' AND delivered = 0;
CREATE INDEX review_due_owner ON review_due(owner_id, status);
CREATE INDEX review_due_workshop ON review_due(workshop_id, status);
CREATE INDEX review_due_touchpoint ON review_due(touchpoint_id, status);

INSERT INTO review_due (review_id, workshop_id, touchpoint_id, owner_id, status, due_at, sent_at,
    delivered)
SELECT
    id,
    workshop_id,
    json_extract(data, '$.touchpoint_id'),
    json_extract(data, '$.owner_id'),
    CASE WHEN deleted_at IS NULL THEN json_extract(data, '$.status') ELSE 'deleted' END,
    (julianday(json_extract(data, '$.due_at')) - 2440587.5) * 86400.0,
    (julianday(json_extract(data, '$.sent_at')) - 2440587.5) * 86400.0,
    json_extract(data, '$.delivered_at') IS NOT NULL
FROM items WHERE kind = 'review';
