-- Nodes cache token lookups briefly. Anything that can stop a token from working — the token expired or
-- deleted, its person deactivated, renamed, made or unmade staff, or deleted — notifies every node at commit,
-- whichever code path (API, pages, admin command, another node) made the change. Payloads: 'token:<key hash>',
-- 'user:<id>'.
CREATE FUNCTION notify_token_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.user_id IS DISTINCT FROM OLD.user_id THEN
        PERFORM pg_notify('fieldcloud_tokens', 'token:' || OLD.key_hash);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER auth_tokens_revoked AFTER UPDATE OR DELETE ON auth_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_token_change();

CREATE FUNCTION notify_user_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.is_active IS DISTINCT FROM OLD.is_active OR NEW.is_staff IS DISTINCT FROM OLD.is_staff
       OR NEW.username IS DISTINCT FROM OLD.username THEN
        PERFORM pg_notify('fieldcloud_tokens', 'user:' || OLD.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_token_relevant_change AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_user_change();
