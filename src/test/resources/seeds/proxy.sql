-- Seed 000, the proxy-authentication example with row-level security (inside a fresh database).
CREATE TABLE field_observations (
  id SERIAL PRIMARY KEY,
  geom GEOMETRY(Point, 4326),
  note TEXT,
  surveyor_name TEXT DEFAULT current_user
);
GRANT ALL ON field_observations TO user_mielena;
GRANT USAGE, SELECT ON SEQUENCE field_observations_id_seq TO user_mielena;
GRANT ALL ON field_observations TO user_jonas;
GRANT USAGE, SELECT ON SEQUENCE field_observations_id_seq TO user_jonas;
ALTER TABLE field_observations ENABLE ROW LEVEL SECURITY;
CREATE POLICY surveyor_isolation_policy ON field_observations
FOR ALL
USING (surveyor_name = current_user)
WITH CHECK (surveyor_name = current_user);
