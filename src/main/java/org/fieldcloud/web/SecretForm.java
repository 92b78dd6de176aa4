package org.fieldcloud.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.validation.BindingResult;

/**
 * The "Add a new secret" form: an environment variable (name, value) or a pg_service entry, typed in the simple
 * editor (one field per setting plus extra key/value pairs) or as {@code pg_service.conf} text in the advanced
 * editor. Value fields are cleared before the form is shown again, so a value never comes back into a page.
 */
public final class SecretForm {

    static final String NAME_PATTERN = "[A-Z][A-Z0-9_]*";

    private String type = "envvar";
    private String editor = "simple";
    private String name = "";
    private String value = "";
    private String service = "";
    private String dbname = "";
    private String user = "";
    private String password = "";
    private String host = "";
    private String port = "";
    private String sslmode = "";
    private List<String> extraKeys = new ArrayList<>();
    private List<String> extraValues = new ArrayList<>();
    private String text = "";
    private String assignedTo = "";

    /** Checks what the page can check; the secrets feature checks everything again. */
    void validate(BindingResult result) {
        if ("pgservice".equals(type)) {
            if ("advanced".equals(editor)) {
                require(result, "text", text, "Paste or type the pg_service.conf entry, starting with [service_name].");
            } else {
                require(result, "service", service, "Give the service a name, as in [service_name].");
                if (!service.isBlank() && !service.matches("[A-Za-z0-9_.-]+")) {
                    result.rejectValue("service", "pattern", "Letters, digits, '_', '-' and '.' only.");
                }
                if (!port.isBlank() && !port.matches("\\d{1,5}")) {
                    result.rejectValue("port", "pattern", "A port is a number, e.g. 5432.");
                }
            }
        } else {
            require(result, "name", name, "Give the variable a name.");
            if (!name.isBlank() && !(name.length() >= 2 && name.length() <= 255 && name.matches(NAME_PATTERN))) {
                result.rejectValue("name", "pattern", "2-255 characters: capital letters, digits and '_', starting with a capital letter.");
            }
            require(result, "value", value, "Enter the value.");
        }
    }

    private static void require(BindingResult result, String field, String given, String message) {
        if (given == null || given.isBlank()) {
            result.rejectValue(field, "required", message);
        }
    }

    /** The value sent to the secrets feature: the variable's value, or the pg_service text from either editor. */
    String secretValue() {
        if (!"pgservice".equals(type)) {
            return value;
        }
        if ("advanced".equals(editor)) {
            return text;
        }
        StringBuilder out = new StringBuilder("[").append(service.trim()).append("]\n");
        line(out, "host", host);
        line(out, "port", port);
        line(out, "dbname", dbname);
        line(out, "user", user);
        line(out, "password", password);
        line(out, "sslmode", sslmode);
        for (int i = 0; i < extraKeys.size(); i++) {
            line(out, extraKeys.get(i).trim(), i < extraValues.size() ? extraValues.get(i) : "");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        if (!key.isEmpty() && value != null && !value.isBlank()) {
            out.append(key).append('=').append(value.trim()).append('\n');
        }
    }

    /** Before the form is shown again: every field that may hold a credential is emptied. */
    void forgetValues() {
        value = "";
        password = "";
        text = "";
        extraValues = new ArrayList<>(Collections.nCopies(extraKeys.size(), ""));
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = "pgservice".equals(type) ? "pgservice" : "envvar"; }
    public String getEditor() { return editor; }
    public void setEditor(String editor) { this.editor = "advanced".equals(editor) ? "advanced" : "simple"; }
    public String getName() { return name; }
    public void setName(String name) { this.name = clean(name); }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value == null ? "" : value; }
    public String getService() { return service; }
    public void setService(String service) { this.service = clean(service); }
    public String getDbname() { return dbname; }
    public void setDbname(String dbname) { this.dbname = clean(dbname); }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = clean(user); }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password == null ? "" : password; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = clean(host); }
    public String getPort() { return port; }
    public void setPort(String port) { this.port = clean(port); }
    public String getSslmode() { return sslmode; }
    public void setSslmode(String sslmode) { this.sslmode = clean(sslmode); }
    public List<String> getExtraKeys() { return extraKeys; }
    public void setExtraKeys(List<String> extraKeys) { this.extraKeys = extraKeys == null ? new ArrayList<>() : extraKeys; }
    public List<String> getExtraValues() { return extraValues; }
    public void setExtraValues(List<String> extraValues) { this.extraValues = extraValues == null ? new ArrayList<>() : extraValues; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text == null ? "" : text; }
    public String getAssignedTo() { return assignedTo; }
    public void setAssignedTo(String assignedTo) { this.assignedTo = clean(assignedTo); }

    private static String clean(String s) {
        return s == null ? "" : s.trim();
    }
}
