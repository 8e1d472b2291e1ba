-- A tidy chat across instances: the message holding each person's live question (the
-- last one sent with buttons, in their private chat), so whichever instance sends the
-- next question takes those buttons off (bot/telegram/live_prompt.py).
CREATE TABLE live_prompts (
    person_id   TEXT PRIMARY KEY,
    message_id  INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
