-- pg_trgm: trigram similarity for fuzzy search and near-duplicate detection (PostgreSQL contrib; PGlite loads it too).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
