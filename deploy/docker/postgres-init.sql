-- The schema registry keeps its schemas in Postgres, as in the local stack.
CREATE DATABASE schema_registry;
