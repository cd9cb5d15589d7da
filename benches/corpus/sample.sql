-- A schema and a report, for the render benchmark.
CREATE TABLE IF NOT EXISTS users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    email       TEXT    NOT NULL,
    created_at  TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    is_admin    BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE pastes (
    id          VARCHAR(16) PRIMARY KEY,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
    language    TEXT,
    expires_at  TIMESTAMP NULL
);

CREATE INDEX pastes_by_author ON pastes (author_id, expires_at);

INSERT INTO users (name, email, is_admin)
VALUES ('ann', 'ann@example.com', TRUE),
       ('bob', 'bob@example.com', FALSE);

/* Monthly report: pastes, bytes and the top language per author. */
WITH monthly AS (
    SELECT p.author_id,
           strftime('%Y-%m', p.expires_at) AS month,
           COUNT(*)                        AS pastes,
           SUM(p.size_bytes)               AS bytes,
           p.language
      FROM pastes AS p
     WHERE p.expires_at IS NOT NULL
       AND p.size_bytes BETWEEN 1 AND 10485760
     GROUP BY p.author_id, month, p.language
)
SELECT u.name,
       m.month,
       SUM(m.pastes)                                   AS pastes,
       ROUND(SUM(m.bytes) / 1024.0, 1)                 AS kib,
       MAX(m.language) FILTER (WHERE m.pastes > 1)     AS top_language,
       CASE WHEN u.is_admin THEN 'admin' ELSE 'user' END AS role
  FROM monthly AS m
  JOIN users   AS u ON u.id = m.author_id
 GROUP BY u.name, m.month
HAVING SUM(m.pastes) > 0
 ORDER BY m.month DESC, kib DESC
 LIMIT 20 OFFSET 0;

UPDATE users SET email = lower(email) WHERE email <> lower(email);
DELETE FROM pastes WHERE expires_at < datetime('now', '-30 days');
