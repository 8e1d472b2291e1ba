-- Fenced review reminders, as SQLite's 004: the delivery pass that claimed a review (its
-- claim token) and whether its message was handed to Telegram (marked just before the
-- request leaves, only while the claim is still that pass's). A review handed over counts
-- as delivered; one claimed by a pass that died before handing it over is released at
-- once by the next leader (or at start), not after ten minutes.
ALTER TABLE review_due ADD COLUMN claim text;
ALTER TABLE review_due ADD COLUMN handed boolean NOT NULL DEFAULT false;
UPDATE review_due d SET claim = i.data->>'claim' FROM items i WHERE i.id = d.review_id;
DROP INDEX review_due_stuck;
CREATE INDEX review_due_stuck ON review_due (sent_at) WHERE status = 'sent' AND NOT delivered
    AND NOT handed;
