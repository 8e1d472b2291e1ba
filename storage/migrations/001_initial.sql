-- The first schema: workshops, their items as JSON documents, people, positions,
-- the audit trail and the log of processed Telegram updates.
CREATE TABLE workshops (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);

CREATE TABLE items (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    workshop_id  TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    data         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX items_by_kind ON items(workshop_id, kind, seq);
CREATE INDEX items_member_person ON items(json_extract(data, '$.person_id'))
    WHERE kind = 'member';
CREATE UNIQUE INDEX items_invite_code ON items(json_extract(data, '$.code'))
    WHERE kind = 'invite';

CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE positions (
    person_id    TEXT NOT NULL,
    workshop_id  TEXT NOT NULL,
    data         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (person_id, workshop_id)
);
CREATE INDEX positions_by_workshop ON positions(workshop_id);

CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id  TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
    data         TEXT NOT NULL,
    actor        TEXT,
    at           TEXT NOT NULL
);
CREATE INDEX audit_by_item ON audit(item_id, seq);
CREATE INDEX audit_by_workshop ON audit(workshop_id, seq);

CREATE TABLE processed_updates (
    key  TEXT PRIMARY KEY,
    at   TEXT NOT NULL
);
