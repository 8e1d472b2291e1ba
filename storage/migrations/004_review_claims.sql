-- Fenced review reminders: the delivery pass that claimed a review (its claim token) and
-- whether its message was handed to Telegram (marked just before the request leaves, only
-- while the claim is still that pass's). A review handed over counts as delivered; one
-- claimed by a pass that died before handing it over is released at once by the next
-- leader (or at start), not after ten minutes.
ALTER TABLE review_due ADD COLUMN claim TEXT;
ALTER TABLE review_due ADD COLUMN handed INTEGER NOT NULL DEFAULT 0;
UPDATE review_due SET claim = (SELECT json_extract(i.data, '$.claim') FROM items i
    WHERE i.id = review_due.review_id);
DROP INDEX review_due_stuck;
CREATE INDEX review_due_stuck ON review_due(sent_at)
    WHERE status = 'sent' AND delivered = 0 AND handed = 0;
