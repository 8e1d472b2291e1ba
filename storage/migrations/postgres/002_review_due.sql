-- The review schedule as an index, as SQLite's 002: one row per review (kept in step with
-- the Review documents by storage/postgres/items.py), so the scheduler finds what is due,
-- what was claimed but never delivered, and a workshop's open reviews without reading
-- every review ever written.
CREATE TABLE review_due (
    review_id     text PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    workshop_id   text NOT NULL,
    touchpoint_id text NOT NULL,
    owner_id      text NOT NULL,
    status        text NOT NULL,
    due_at        timestamptz NOT NULL,
    sent_at       timestamptz,
    delivered     boolean NOT NULL DEFAULT false
);
CREATE INDEX review_due_scheduled ON review_due (due_at) WHERE status = 'scheduled';
CREATE INDEX review_due_stuck ON review_due (sent_at) WHERE status = 'sent' AND NOT delivered;
CREATE INDEX review_due_owner ON review_due (owner_id, status);
CREATE INDEX review_due_workshop ON review_due (workshop_id, status);
CREATE INDEX review_due_touchpoint ON review_due (touchpoint_id, status);

INSERT INTO review_due (review_id, workshop_id, touchpoint_id, owner_id, status, due_at, sent_at,
    delivered)
SELECT
    id,
    workshop_id,
    data->>'touchpoint_id',
    data->>'owner_id',
    CASE WHEN deleted_at IS NULL THEN data->>'status' ELSE 'deleted' END,
    (data->>'due_at')::timestamptz,
    (data->>'sent_at')::timestamptz,
    data->>'delivered_at' IS NOT NULL
FROM items WHERE kind = 'review';
