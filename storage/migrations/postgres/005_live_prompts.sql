-- A tidy chat across instances, as SQLite's 005: the message holding each person's live
-- question (the last one sent with buttons, in their private chat), so whichever instance
-- sends the next question takes those buttons off (bot/telegram/live_prompt.py).
CREATE TABLE live_prompts (
    person_id   text PRIMARY KEY,
    message_id  bigint NOT NULL,
    updated_at  timestamptz NOT NULL
);
