-- Run by the postgresql service of docker-compose.yml when it creates its data volume (the image
-- runs /docker-entrypoint-initdb.d once, on an empty volume): the database of the conversation
-- store, beside Temporal's own. On a volume made before this file existed, run it by hand:
--   docker compose exec postgresql createdb -U temporal durable_teams
-- The store creates its tables itself when a worker or front end first opens it.
SELECT 'CREATE DATABASE durable_teams'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'durable_teams')\gexec
